import { invalidArgument } from '../../core/errors.js';
import type { Frame } from '../dataset/frame.js';
import { encodeFeatures, learnFeatures, readTarget } from '../features.js';
import type { FeatureSelection } from '../features.js';
import { Rng } from '../random.js';
import { MISSING_BIN, binMatrix, categoricalBins, numericBins } from './binning.js';
import type { FeatureBins } from './binning.js';
import { TreeGrower } from './grower.js';
import type { BinnedTree } from './grower.js';
import { makeLoss } from './losses.js';
import type { GbdtModel, GbdtTree } from './model.js';
import { resolveGbdtParams } from './params.js';
import type { GbdtParams } from './params.js';
import { stratifiedHoldout } from './holdout.js';

export interface GbdtFitOptions extends FeatureSelection {
  /** Target column: numbers → regression, strings → classification, unless `task` says otherwise. */
  target: string;
  task?: 'regression' | 'classification';
  params?: Partial<GbdtParams>;
}

/** scikit-learn's `early_stopping='auto'` turns early stopping on above this many rows. */
const AUTO_EARLY_STOPPING_ROWS = 10_000;

/**
 * Fits gradient-boosted trees on a frame. Deterministic: the same frame, options and `seed` give a
 * byte-identical `JSON.stringify(model)`.
 *
 * @example
 * const model = fitGbdt(frame, { target: 'income', params: { maxIter: 200, seed: 7 } });
 * const proba = predictProba(model, testFrame);
 */
export function fitGbdt(frame: Frame, options: GbdtFitOptions): GbdtModel {
  const p = resolveGbdtParams(options.params as Record<string, unknown> | undefined);
  const targetCol = frame.columns.find((c) => c.name === options.target);
  const task = options.task ?? (targetCol?.kind === 'categorical' ? 'classification' : 'regression');
  const { y, classes } = readTarget(frame, options.target, task);
  const features = learnFeatures(frame, options.target, options);
  const X = encodeFeatures(frame, features);
  const n = frame.nRows;
  const rng = new Rng(p.seed);

  const early = p.earlyStopping === 'auto' ? n > AUTO_EARLY_STOPPING_ROWS : p.earlyStopping;
  const { train, validation } = early ? stratifiedHoldout(y, task === 'classification' ? classes!.length : 0, p.validationFraction, rng) : { train: allRows(n), validation: new Uint32Array(0) };
  if (train.length < 2) throw invalidArgument(`Too few training rows (${train.length}) to fit trees.`, { rows: train.length });

  const bins: FeatureBins[] = features.map((f, i) =>
    f.kind === 'numeric' ? numericBins(X[i], train, p.maxBins, rng) : categoricalBins(X[i], train, f.categories.length, Math.min(p.maxCategories, p.maxBins)),
  );
  const binned = binMatrix(X, bins, n);
  const nBins = Int32Array.from(bins, (b) => b.nBins);
  const isCat = Uint8Array.from(bins, (b) => (b.kind === 'categorical' ? 1 : 0));

  const loss = makeLoss(task, classes?.length ?? 0);
  const K = loss.k;
  const baseline = loss.baseline(y, train);
  const raw = new Float64Array(n * K);
  for (let r = 0; r < n; r++) for (let k = 0; k < K; k++) raw[r * K + k] = baseline[k];
  const g = Array.from({ length: K }, () => new Float64Array(n));
  const h = Array.from({ length: K }, () => new Float64Array(n));
  const grower = new TreeGrower(binned, n, nBins, isCat, { maxLeafNodes: p.maxLeafNodes, maxDepth: p.maxDepth, minSamplesLeaf: p.minSamplesLeaf, l2: p.l2Regularization, learningRate: p.learningRate, maxFeatures: p.maxFeatures }, rng);
  const nSample = p.subsample < 1 ? Math.max(2, Math.round(p.subsample * train.length)) : train.length;

  const trees: GbdtTree[][] = [];
  const validationLoss = early ? [loss.loss(y, raw, validation)] : [];
  let earlyStopped = false;
  for (let iter = 0; iter < p.maxIter; iter++) {
    loss.gradients(y, raw, train, g, h);
    const round: GbdtTree[] = [];
    for (let k = 0; k < K; k++) {
      if (nSample < train.length) {
        const pick = rng.sample(train.length, nSample);
        for (let i = 0; i < nSample; i++) grower.rows[i] = train[pick[i]];
      } else grower.rows.set(train);
      const bt = grower.grow(nSample, g[k], h[k]);
      if (nSample < train.length) addBinned(bt, binned, n, train, raw, K, k);
      else addLeaves(bt, grower.rows, raw, K, k);
      addBinned(bt, binned, n, validation, raw, K, k);
      round.push(toModelTree(bt, bins));
    }
    trees.push(round);
    if (early) {
      validationLoss.push(loss.loss(y, raw, validation));
      if (shouldStop(validationLoss, p.nIterNoChange, p.tol)) {
        earlyStopped = true;
        break;
      }
    }
  }
  return {
    format: 'gyre-gbdt',
    formatVersion: 1,
    task,
    loss: loss.name,
    target: options.target,
    classes,
    features,
    baseline,
    trees,
    params: { ...p },
    training: { nIter: trees.length, earlyStopped, nTrainRows: train.length, nValidationRows: validation.length, validationLoss },
  };
}

/** scikit-learn's rule: stop when none of the last n iterations beat the one before them by tol. */
function shouldStop(losses: number[], nNoChange: number, tol: number): boolean {
  if (losses.length <= nNoChange) return false;
  const reference = losses[losses.length - 1 - nNoChange];
  for (let i = losses.length - nNoChange; i < losses.length; i++) if (losses[i] < reference - tol) return false;
  return true;
}

function allRows(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Adds leaf values to the rows each leaf holds (no traversal: the grower partitioned them). */
function addLeaves(t: BinnedTree, rows: Uint32Array, raw: Float64Array, K: number, k: number): void {
  for (let node = 0; node < t.feature.length; node++) {
    if (t.feature[node] >= 0) continue;
    const v = t.value[node];
    for (let i = t.leafStart[node]; i < t.leafEnd[node]; i++) raw[rows[i] * K + k] += v;
  }
}

/** Adds the tree's value to `rows` by walking it on the binned matrix. */
function addBinned(t: BinnedTree, binned: Uint8Array, n: number, rows: Uint32Array, raw: Float64Array, K: number, k: number): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let node = 0;
    while (t.feature[node] >= 0) {
      const f = t.feature[node];
      const b = binned[f * n + r];
      const lb = t.leftBins[node];
      const left = b === MISSING_BIN ? t.missingLeft[node] : lb !== null ? lb[b] === 1 : b <= t.binThreshold[node];
      node = left ? t.left[node] : t.right[node];
    }
    raw[r * K + k] += t.value[node];
  }
}

/** Bin thresholds → raw thresholds, bin sets → category index sets: the model that predicts on raw data. */
function toModelTree(t: BinnedTree, bins: readonly FeatureBins[]): GbdtTree {
  const threshold: number[] = [];
  const categories: (number[] | null)[] = [];
  for (let i = 0; i < t.feature.length; i++) {
    const f = t.feature[i];
    const b = f >= 0 ? bins[f] : null;
    const lb = t.leftBins[i];
    if (b === null) {
      threshold.push(0);
      categories.push(null);
    } else if (b.kind === 'numeric') {
      threshold.push(b.thresholds[t.binThreshold[i]]);
      categories.push(null);
    } else {
      const set: number[] = [];
      for (let bin = 0; bin < b.nBins; bin++) if (lb![bin] === 1) set.push(...b.categoriesOfBin[bin]);
      threshold.push(0);
      categories.push(set.sort((x, y) => x - y));
    }
  }
  return { feature: [...t.feature], threshold, categories, missingLeft: [...t.missingLeft], left: [...t.left], right: [...t.right], value: t.value.map((v, i) => (t.feature[i] < 0 ? v : 0)), count: [...t.count] };
}
