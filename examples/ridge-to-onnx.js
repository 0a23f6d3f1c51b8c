// Exports the demo's ridge regression as a real ONNX graph that takes the 11 raw bike-sharing
// features in one [N, 11] float tensor and does the one-hot encoding itself (Gather, Equal, Cast),
// so serving needs no feature code: y = max(0, onehot(x)·w + b). Built with Gyre's ONNX builder.
import { buildOnnxModel } from '../dist/models/onnx-builder.js';
import { ONNX_ELEM as E } from '../dist/models/onnx-types.js';
import { FEATURES, NUMERIC, ONE_HOT } from './bike-baselines.js';

export function ridgeToOnnx(model) {
  const nodes = [];
  const initializers = [{ name: 'axis1', elemType: E.INT64, dims: [1], values: [1] }];
  const parts = [];
  for (const [col, levels] of Object.entries(ONE_HOT)) {
    const idx = FEATURES.indexOf(col);
    initializers.push({ name: `${col}_idx`, elemType: E.INT64, dims: [], values: [idx] });
    initializers.push({ name: `${col}_levels`, elemType: E.FLOAT, dims: [1, levels.length], values: levels });
    nodes.push({ op: 'Gather', inputs: ['features', `${col}_idx`], outputs: [`${col}_raw`], attributes: { axis: 1 } });
    nodes.push({ op: 'Unsqueeze', inputs: [`${col}_raw`, 'axis1'], outputs: [`${col}_col`] });
    nodes.push({ op: 'Equal', inputs: [`${col}_col`, `${col}_levels`], outputs: [`${col}_hit`] });
    nodes.push({ op: 'Cast', inputs: [`${col}_hit`], outputs: [`${col}_onehot`], attributes: { to: E.FLOAT } });
    parts.push(`${col}_onehot`);
  }
  initializers.push({ name: 'numeric_idx', elemType: E.INT64, dims: [NUMERIC.length], values: NUMERIC.map((c) => FEATURES.indexOf(c)) });
  nodes.push({ op: 'Gather', inputs: ['features', 'numeric_idx'], outputs: ['numeric'], attributes: { axis: 1 } });
  parts.push('numeric');
  const [bias, ...w] = model.weights;
  initializers.push({ name: 'W', elemType: E.FLOAT, dims: [w.length, 1], values: w });
  initializers.push({ name: 'bias', elemType: E.FLOAT, dims: [1], values: [bias] });
  nodes.push({ op: 'Concat', inputs: parts, outputs: ['encoded'], attributes: { axis: 1 } });
  nodes.push({ op: 'MatMul', inputs: ['encoded', 'W'], outputs: ['linear'] });
  nodes.push({ op: 'Add', inputs: ['linear', 'bias'], outputs: ['raw_cnt'] });
  nodes.push({ op: 'Relu', inputs: ['raw_cnt'], outputs: ['cnt'] });
  return buildOnnxModel({
    name: 'bike-demand-ridge',
    producer: 'gyre-demo',
    nodes,
    initializers,
    inputs: [{ name: 'features', elemType: E.FLOAT, shape: ['N', FEATURES.length] }],
    outputs: [{ name: 'cnt', elemType: E.FLOAT, shape: ['N', 1] }],
  });
}

/** The manifest: 11 raw features, in order, as columns of the one input tensor. */
export function ridgeManifest(example, metrics) {
  return {
    task: 'regression',
    description: 'Hourly bike rentals (cnt) from calendar and weather; one-hot encoding inside the graph.',
    inputs: FEATURES.map((name, column) => ({ name, type: 'number', tensor: 'features', column, ...(ONE_HOT[name] ? { categories: ONE_HOT[name], preprocessing: 'one-hot in graph' } : {}) })),
    outputs: [{ name: 'cnt', datatype: 'FP32', shape: [-1, 1], role: 'prediction' }],
    inputExample: [Object.fromEntries(FEATURES.map((f) => [f, example[f]]))],
    metrics,
  };
}
