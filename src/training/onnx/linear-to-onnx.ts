/**
 * Regularized linear and logistic models to ONNX with their preprocessing inside the graph, from
 * raw feature columns (numbers DOUBLE, categories STRING, each [N, 1]) — standard operators only:
 *
 *   numeric x:  IsNaN → Where(missing, mean, x) → (x − mean) / scale  [+ Cast(IsNaN) as the missing indicator]
 *   category s: LabelEncoder(category → index, unseen → NaN) → Equal(index, [0 … K−1]) → Cast: one-hot,
 *               all zeros for missing or unseen
 *   Concat → design [N, W] → MatMul(coefᵀ) + intercept → score [N, K] → the shared output head.
 */
import { buildOnnxModel } from '../../models/onnx-builder.js';
import type { NodeSpec, TensorInit } from '../../models/onnx-builder.js';
import { ONNX_ELEM as E } from '../../models/onnx-types.js';
import { categoryCodes, outputHead } from './heads.js';

// Doubles throughout, as the trainer computes: parity with it is |Δ| ≤ 1e-5.
const T = E.DOUBLE;
import type { FeatureLike } from './gbdt-to-onnx.js';

export type LinearInputLike =
  | { kind: 'numeric'; mean: number; scale: number; missingIndicator: boolean }
  | { kind: 'categorical'; nCategories: number };

export interface LinearLike {
  task: 'regression' | 'classification';
  classes: string[] | null;
  features: readonly FeatureLike[];
  inputs: readonly LinearInputLike[];
  /** coef[k][j]: output k, design column j. */
  coef: number[][];
  intercept: number[];
}

export function linearToOnnx(model: LinearLike, name = 'gyre-linear'): Uint8Array {
  const nodes: NodeSpec[] = [];
  const initializers: TensorInit[] = [];
  const columns: string[] = [];
  model.features.forEach((f, j) => {
    const inp = model.inputs[j]!;
    const n = f.name;
    if (inp.kind === 'numeric') {
      initializers.push({ name: `${n}__mean`, elemType: T, dims: [], values: [inp.mean] });
      initializers.push({ name: `${n}__scale`, elemType: T, dims: [], values: [inp.scale] });
      nodes.push({ op: 'IsNaN', inputs: [n], outputs: [`${n}__isnan`] });
      nodes.push({ op: 'Where', inputs: [`${n}__isnan`, `${n}__mean`, n], outputs: [`${n}__imputed`] });
      nodes.push({ op: 'Sub', inputs: [`${n}__imputed`, `${n}__mean`], outputs: [`${n}__centered`] });
      nodes.push({ op: 'Div', inputs: [`${n}__centered`, `${n}__scale`], outputs: [`${n}__z`] });
      columns.push(`${n}__z`);
      if (inp.missingIndicator) {
        nodes.push({ op: 'Cast', inputs: [`${n}__isnan`], outputs: [`${n}__missing`], attributes: { to: T } });
        columns.push(`${n}__missing`);
      }
      return;
    }
    if (f.kind !== 'categorical') throw new Error(`feature '${n}' is numeric but its encoding is categorical`);
    const code = categoryCodes(n, f.categories, nodes, T);
    initializers.push({ name: `${n}__levels`, elemType: T, dims: [1, inp.nCategories], values: Array.from({ length: inp.nCategories }, (_, i) => i) });
    nodes.push({ op: 'Equal', inputs: [code, `${n}__levels`], outputs: [`${n}__hit`] });
    nodes.push({ op: 'Cast', inputs: [`${n}__hit`], outputs: [`${n}__onehot`], attributes: { to: T } });
    columns.push(`${n}__onehot`);
  });
  const k = model.intercept.length;
  const width = model.coef[0]!.length;
  const weights: number[] = [];
  for (let j = 0; j < width; j++) for (let o = 0; o < k; o++) weights.push(model.coef[o]![j]!);
  initializers.push({ name: 'coef_t', elemType: T, dims: [width, k], values: weights });
  initializers.push({ name: 'intercept', elemType: T, dims: [k], values: model.intercept });
  nodes.push({ op: 'Concat', inputs: columns, outputs: ['design'], attributes: { axis: 1 } });
  nodes.push({ op: 'MatMul', inputs: ['design', 'coef_t'], outputs: ['linear'] });
  nodes.push({ op: 'Add', inputs: ['linear', 'intercept'], outputs: ['score'] });
  const outputs = outputHead(model.task, model.classes, k, nodes, initializers, T);
  return buildOnnxModel({
    name,
    producer: 'gyre-linear',
    opsets: { '': 17, 'ai.onnx.ml': 3 },
    nodes,
    initializers,
    inputs: model.features.map((f) => ({ name: f.name, elemType: f.kind === 'numeric' ? T : E.STRING, shape: ['N', 1] })),
    outputs,
  });
}
