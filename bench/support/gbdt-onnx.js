/**
 * A 100-tree, depth-6 regression ensemble over 11 float features as ONNX (ai.onnx.ml
 * TreeEnsembleRegressor), with seeded random splits: the shape of model the serving goals name,
 * independent of the trainers. Thresholds sit inside each feature's bike-sharing range so real
 * rows walk varied paths.
 */
import { buildOnnxModel } from '../../dist/models/onnx-builder.js';
import { ONNX_ELEM as E } from '../../dist/models/onnx-types.js';

export const GBDT_FEATURES = ['season', 'mnth', 'hr', 'holiday', 'weekday', 'workingday', 'weathersit', 'temp', 'atemp', 'hum', 'windspeed'];
const RANGES = [[1, 4], [1, 12], [0, 23], [0, 1], [0, 6], [0, 1], [1, 4], [0, 1], [0, 1], [0, 1], [0, 0.85]];

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gbdtOnnx({ trees = 100, depth = 6, seed = 7 } = {}) {
  const r = rng(seed);
  const a = { treeIds: [], nodeIds: [], features: [], modes: [], values: [], trueIds: [], falseIds: [], tTree: [], tNode: [], tIds: [], tWeights: [] };
  for (let t = 0; t < trees; t++) {
    const internal = 2 ** depth - 1;
    const total = 2 ** (depth + 1) - 1;
    for (let n = 0; n < total; n++) {
      a.treeIds.push(t);
      a.nodeIds.push(n);
      if (n < internal) {
        const f = Math.floor(r() * RANGES.length);
        const [lo, hi] = RANGES[f];
        a.features.push(f);
        a.modes.push('BRANCH_LEQ');
        a.values.push(lo + r() * (hi - lo));
        a.trueIds.push(2 * n + 1);
        a.falseIds.push(2 * n + 2);
      } else {
        a.features.push(0);
        a.modes.push('LEAF');
        a.values.push(0);
        a.trueIds.push(0);
        a.falseIds.push(0);
        a.tTree.push(t);
        a.tNode.push(n);
        a.tIds.push(0);
        a.tWeights.push((r() - 0.3) * 20);
      }
    }
  }
  return buildOnnxModel({
    name: 'gbdt-bench',
    producer: 'gyre-bench',
    opsets: { '': 17, 'ai.onnx.ml': 3 },
    nodes: [
      {
        op: 'TreeEnsembleRegressor',
        domain: 'ai.onnx.ml',
        inputs: ['features'],
        outputs: ['cnt'],
        attributes: {
          n_targets: 1,
          aggregate_function: 'SUM',
          base_values: { floats: [150] },
          nodes_treeids: a.treeIds,
          nodes_nodeids: a.nodeIds,
          nodes_featureids: a.features,
          nodes_modes: a.modes,
          nodes_values: { floats: a.values },
          nodes_truenodeids: a.trueIds,
          nodes_falsenodeids: a.falseIds,
          target_treeids: a.tTree,
          target_nodeids: a.tNode,
          target_ids: a.tIds,
          target_weights: { floats: a.tWeights },
        },
      },
    ],
    inputs: [{ name: 'features', elemType: E.FLOAT, shape: ['N', GBDT_FEATURES.length] }],
    outputs: [{ name: 'cnt', elemType: E.FLOAT, shape: ['N', 1] }],
  });
}
