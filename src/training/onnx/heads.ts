/**
 * The output end shared by Gyre's exporters: from raw scores `score` [N, K] to `prediction`
 * (regression) or `probabilities` + `label` (classification: sigmoid for one logit, softmax for K).
 */
import type { NodeSpec, TensorInit } from '../../models/onnx-builder.js';
import { ONNX_ELEM as E } from '../../models/onnx-types.js';

export interface GraphOutput {
  name: string;
  elemType: number;
  shape: (number | string)[];
}

/** `elemType`: the scores' element type (FLOAT, or DOUBLE where exact parity with float64 code matters). */
export function outputHead(task: 'regression' | 'classification', classes: string[] | null, nScores: number, nodes: NodeSpec[], initializers: TensorInit[], elemType: number = E.FLOAT): GraphOutput[] {
  if (task === 'regression') {
    nodes.push({ op: 'Identity', inputs: ['score'], outputs: ['prediction'] });
    return [{ name: 'prediction', elemType, shape: ['N', 1] }];
  }
  const labels = classes!;
  if (nScores === 1) {
    initializers.push({ name: 'one', elemType, dims: [], values: [1] });
    nodes.push({ op: 'Sigmoid', inputs: ['score'], outputs: ['p1'] });
    nodes.push({ op: 'Sub', inputs: ['one', 'p1'], outputs: ['p0'] });
    nodes.push({ op: 'Concat', inputs: ['p0', 'p1'], outputs: ['probabilities'], attributes: { axis: 1 } });
  } else {
    nodes.push({ op: 'Softmax', inputs: ['score'], outputs: ['probabilities'], attributes: { axis: 1 } });
  }
  nodes.push({ op: 'ArgMax', inputs: ['probabilities'], outputs: ['class_index'], attributes: { axis: 1, keepdims: 0 } });
  nodes.push({
    op: 'LabelEncoder',
    domain: 'ai.onnx.ml',
    inputs: ['class_index'],
    outputs: ['label'],
    attributes: { keys_int64s: { ints: labels.map((_, i) => i) }, values_strings: [...labels], default_string: '' },
  });
  return [
    { name: 'label', elemType: E.STRING, shape: ['N'] },
    { name: 'probabilities', elemType, shape: ['N', labels.length] },
  ];
}

/** Category strings → their index in the training vocabulary as a float (or double); unseen → NaN (missing). */
export function categoryCodes(feature: string, categories: readonly string[], nodes: NodeSpec[], elemType: number = E.FLOAT): string {
  const out = elemType === E.FLOAT ? `${feature}__code` : `${feature}__code_f`;
  nodes.push({
    op: 'LabelEncoder',
    domain: 'ai.onnx.ml',
    inputs: [feature],
    outputs: [out],
    attributes: { keys_strings: [...categories], values_floats: { floats: categories.map((_, i) => i) }, default_float: Number.NaN },
  });
  if (elemType === E.FLOAT) return out;
  nodes.push({ op: 'Cast', inputs: [out], outputs: [`${feature}__code`], attributes: { to: elemType } });
  return `${feature}__code`;
}
