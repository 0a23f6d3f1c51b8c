import type { FeatureInfo } from '../features.js';
import type { LossName } from './losses.js';

/**
 * One fitted tree as flat node arrays (index 0 is the root), JSON-ready and shaped like ONNX's
 * TreeEnsemble attributes so export is a walk (docs/training.md, "ONNX mapping"):
 * - internal node: `feature[i] >= 0`; numeric test `x <= threshold[i]` goes left (BRANCH_LEQ);
 *   categorical (`categories[i]` not null) goes left when x is one of those category indices
 *   (BRANCH_MEMBER); NaN — missing or unseen category — goes left iff `missingLeft[i]`.
 * - leaf: `feature[i] === -1`, `value[i]` is the leaf's contribution (learning rate applied).
 */
export interface GbdtTree {
  feature: number[];
  threshold: number[];
  categories: (number[] | null)[];
  missingLeft: boolean[];
  left: number[];
  right: number[];
  value: number[];
  /** Training rows that reached the node (for inspection, TreeSHAP later). */
  count: number[];
}

export interface GbdtModel {
  readonly format: 'gyre-gbdt';
  readonly formatVersion: 1;
  readonly task: 'regression' | 'classification';
  readonly loss: LossName;
  readonly target: string;
  /** Class labels in output order (sorted), or null for regression. */
  readonly classes: string[] | null;
  readonly features: FeatureInfo[];
  /** Raw-score offset per output, added before the trees. */
  readonly baseline: number[];
  /** trees[iteration][output]: one tree per output (per class for softmax) per iteration. */
  readonly trees: GbdtTree[][];
  readonly params: Record<string, unknown>;
  readonly training: {
    readonly nIter: number;
    readonly earlyStopped: boolean;
    readonly nTrainRows: number;
    readonly nValidationRows: number;
    /** Validation loss after each iteration (index 0 = the baseline alone), when early stopping was on. */
    readonly validationLoss: number[];
  };
}

/** One tree's value for row `row` of the encoded feature columns (model order). */
export function treeValue(t: GbdtTree, cols: readonly Float64Array[], row: number): number {
  let i = 0;
  for (;;) {
    const f = t.feature[i];
    if (f < 0) return t.value[i];
    const v = cols[f][row];
    let left: boolean;
    if (Number.isNaN(v)) left = t.missingLeft[i];
    else {
      const cats = t.categories[i];
      left = cats === null ? v <= t.threshold[i] : cats.includes(v);
    }
    i = left ? t.left[i] : t.right[i];
  }
}
