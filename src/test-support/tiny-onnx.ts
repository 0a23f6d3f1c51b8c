/**
 * Tiny ONNX models written with onnx-proto, for serving tests that need a real model ORT loads:
 * y = x·w + b over a [N, k] float input, and an identity over any datatype. (src/models has the
 * general graph builder; these stay minimal so serving tests do not depend on it.)
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = 1;

function valueInfo(name: string, elemType: number, dims: (number | string)[]) {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function model(graph: Record<string, unknown>): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 8, producerName: 'gyre-tests', opsetImport: [{ domain: '', version: 17 }], graph }),
  ).finish();
}

/** y[N,1] = x[N,k] · weights + bias. */
export function linearModel(weights: number[], bias: number): Uint8Array {
  const k = weights.length;
  return model({
    name: 'linear',
    node: [
      { opType: 'MatMul', input: ['x', 'w'], output: ['xw'] },
      { opType: 'Add', input: ['xw', 'b'], output: ['y'] },
    ],
    initializer: [
      { name: 'w', dataType: FLOAT, dims: [k, 1], floatData: weights },
      { name: 'b', dataType: FLOAT, dims: [1], floatData: [bias] },
    ],
    input: [valueInfo('x', FLOAT, ['N', k])],
    output: [valueInfo('y', FLOAT, ['N', 1])],
  });
}

/** ONNX TensorProto element types by name, for identityModel. */
export const ELEM = { FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9, FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13 } as const;

/** out = Identity(in), both [N, width] of `elemType`. */
export function identityModel(elemType: number, width = 2): Uint8Array {
  return model({
    name: 'identity',
    node: [{ opType: 'Identity', input: ['in'], output: ['out'] }],
    input: [valueInfo('in', elemType, ['N', width])],
    output: [valueInfo('out', elemType, ['N', width])],
  });
}
