/**
 * Tiny ONNX models for tests that need a real model ORT loads: y = x·w + b over a [N, k] float
 * input, and an identity over any datatype.
 */
import { buildOnnxModel } from '../models/onnx-builder.js';
import { ONNX_ELEM } from '../models/onnx-types.js';

export const ELEM = ONNX_ELEM;

/** y[N,1] = x[N,k] · weights + bias. */
export function linearModel(weights: number[], bias: number): Uint8Array {
  const k = weights.length;
  return buildOnnxModel({
    name: 'linear',
    producer: 'gyre-tests',
    nodes: [
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['xw'] },
      { op: 'Add', inputs: ['xw', 'b'], outputs: ['y'] },
    ],
    initializers: [
      { name: 'w', elemType: ELEM.FLOAT, dims: [k, 1], values: weights },
      { name: 'b', elemType: ELEM.FLOAT, dims: [1], values: [bias] },
    ],
    inputs: [{ name: 'x', elemType: ELEM.FLOAT, shape: ['N', k] }],
    outputs: [{ name: 'y', elemType: ELEM.FLOAT, shape: ['N', 1] }],
  });
}

/** out = Identity(in), both [N, width] of `elemType`. */
export function identityModel(elemType: number, width = 2): Uint8Array {
  return buildOnnxModel({
    name: 'identity',
    producer: 'gyre-tests',
    nodes: [{ op: 'Identity', inputs: ['in'], outputs: ['out'] }],
    inputs: [{ name: 'in', elemType, shape: ['N', width] }],
    outputs: [{ name: 'out', elemType, shape: ['N', width] }],
  });
}
