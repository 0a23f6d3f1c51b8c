/**
 * Gradient-boosted trees to ONNX: the graph takes the raw feature columns (numbers as DOUBLE,
 * categories as STRING, each [N, 1]) and does the rest, so serving needs no feature code. Doubles
 * throughout (thresholds, leaves, scores): the trainer works in float64, and float32 would move rows
 * near a split to the other side and round a regression of hundreds by ~1e-4 (the parity rule is
 * |Δ| ≤ 1e-5).
 *
 *   categorical input ─ LabelEncoder(category → index, unseen → NaN) ─┐
 *   numeric input ──────────────────────────────────────────────────┴─ Concat → [N, F]
 *   → ai.onnx.ml TreeEnsemble (opset 5: BRANCH_LEQ for numeric splits, BRANCH_MEMBER for category
 *     sets, NaN routed per node by nodes_missing_value_tracks_true) → raw scores [N, K]
 *   → + baseline → regression: `prediction` [N, 1];
 *                  binary: Sigmoid → `probabilities` [N, 2], `label` (class names);
 *                  multiclass: Softmax → `probabilities` [N, K], `label`.
 *
 * A missing or unseen category is NaN and takes each node's missing direction, exactly as the
 * in-process predictor does.
 */
import { buildOnnxModel } from '../../models/onnx-builder.js';
import type { NodeSpec, TensorInit } from '../../models/onnx-builder.js';
import { ONNX_ELEM as E } from '../../models/onnx-types.js';
import { categoryCodes, outputHead } from './heads.js';
import type { GbdtModel, GbdtTree } from '../gbdt/model.js';
import type { FeatureInfo } from '../features.js';

/** What the exporter reads of a fitted model (so hand-built trees in tests need no training record). */
export type TreeLike = Omit<GbdtTree, 'count'>;
export type FeatureLike = FeatureInfo;
export type GbdtLike = Pick<GbdtModel, 'task' | 'classes' | 'features' | 'baseline'> & { trees: readonly (readonly TreeLike[])[] };

const MODE_LEQ = 0;
const MODE_MEMBER = 6;

/** Flattens the trees into TreeEnsemble-5's interior-node and leaf arrays. */
function ensembleAttributes(model: GbdtLike, nOutputs: number) {
  const a = {
    roots: [] as number[],
    featureIds: [] as number[],
    modes: [] as number[],
    splits: [] as number[],
    members: [] as number[],
    trueIds: [] as number[],
    trueLeafs: [] as number[],
    falseIds: [] as number[],
    falseLeafs: [] as number[],
    missingTrue: [] as number[],
    leafTargets: [] as number[],
    leafWeights: [] as number[],
  };
  for (const iteration of model.trees) {
    iteration.forEach((tree, output) => {
      const target = nOutputs === 1 ? 0 : output;
      // Node index in the tree → position in the interior arrays or in the leaf arrays.
      const interior = new Map<number, number>();
      const leaf = new Map<number, number>();
      for (let i = 0; i < tree.feature.length; i++) {
        if (tree.feature[i]! < 0) {
          leaf.set(i, a.leafWeights.length);
          a.leafWeights.push(tree.value[i]!);
          a.leafTargets.push(target);
        } else {
          interior.set(i, a.featureIds.length + interior.size);
        }
      }
      if (interior.size === 0) {
        // A tree that is one leaf: a dummy node whose both branches reach it.
        const l = leaf.get(0)!;
        a.roots.push(a.featureIds.length);
        a.featureIds.push(0);
        a.modes.push(MODE_LEQ);
        a.splits.push(0);
        a.trueIds.push(l);
        a.trueLeafs.push(1);
        a.falseIds.push(l);
        a.falseLeafs.push(1);
        a.missingTrue.push(0);
        return;
      }
      a.roots.push(interior.get(0)!);
      const ref = (child: number): [number, number] => (leaf.has(child) ? [leaf.get(child)!, 1] : [interior.get(child)!, 0]);
      for (let i = 0; i < tree.feature.length; i++) {
        if (tree.feature[i]! < 0) continue;
        const cats = tree.categories[i];
        a.featureIds.push(tree.feature[i]!);
        if (cats && cats.length === 0) {
          // An empty set sends every present category right; ORT refuses an empty MEMBER node,
          // so it becomes code <= -1, false for every code (codes are ≥ 0).
          a.modes.push(MODE_LEQ);
          a.splits.push(-1);
        } else {
          a.modes.push(cats ? MODE_MEMBER : MODE_LEQ);
          a.splits.push(cats ? 0 : tree.threshold[i]!);
          if (cats) a.members.push(...cats, Number.NaN);
        }
        // The fitted trees send "true" (x <= t, or x in the set) left.
        const [t, tl] = ref(tree.left[i]!);
        const [f, fl] = ref(tree.right[i]!);
        a.trueIds.push(t);
        a.trueLeafs.push(tl);
        a.falseIds.push(f);
        a.falseLeafs.push(fl);
        a.missingTrue.push(tree.missingLeft[i] ? 1 : 0);
      }
    });
  }
  return a;
}

const tensor = (name: string, elemType: number, values: number[]): { tensor: TensorInit } => ({ tensor: { name, elemType, dims: [values.length], values } });
const T = E.DOUBLE;

export function gbdtToOnnx(model: GbdtLike, name = 'gyre-gbdt'): Uint8Array {
  const nOutputs = model.baseline.length;
  const a = ensembleAttributes(model, nOutputs);
  const nodes: NodeSpec[] = [];
  const initializers: TensorInit[] = [];
  const columns: string[] = [];
  for (const f of model.features) {
    if (f.kind === 'numeric') {
      columns.push(f.name);
      continue;
    }
    columns.push(categoryCodes(f.name, f.categories, nodes, T));
  }
  nodes.push({ op: 'Concat', inputs: columns, outputs: ['features'], attributes: { axis: 1 } });
  const ensemble: NodeSpec = {
    op: 'TreeEnsemble',
    domain: 'ai.onnx.ml',
    inputs: ['features'],
    outputs: ['raw'],
    attributes: {
      n_targets: nOutputs,
      aggregate_function: 1,
      post_transform: 0,
      tree_roots: a.roots,
      nodes_featureids: a.featureIds,
      nodes_modes: tensor('nodes_modes', E.UINT8, a.modes),
      nodes_splits: tensor('nodes_splits', T, a.splits),
      nodes_truenodeids: a.trueIds,
      nodes_trueleafs: a.trueLeafs,
      nodes_falsenodeids: a.falseIds,
      nodes_falseleafs: a.falseLeafs,
      nodes_missing_value_tracks_true: a.missingTrue,
      leaf_targetids: a.leafTargets,
      leaf_weights: tensor('leaf_weights', T, a.leafWeights),
      ...(a.members.length ? { membership_values: tensor('membership_values', T, a.members) } : {}),
    },
  };
  nodes.push(ensemble);
  initializers.push({ name: 'baseline', elemType: T, dims: [nOutputs], values: model.baseline });
  nodes.push({ op: 'Add', inputs: ['raw', 'baseline'], outputs: ['score'] });
  const outputs = outputHead(model.task, model.classes, nOutputs, nodes, initializers, T);
  return buildOnnxModel({
    name,
    producer: 'gyre-gbdt',
    opsets: { '': 17, 'ai.onnx.ml': 5 },
    nodes,
    initializers,
    inputs: model.features.map((f) => ({ name: f.name, elemType: f.kind === 'numeric' ? T : E.STRING, shape: ['N', 1] })),
    outputs,
  });
}
