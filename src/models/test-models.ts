/**
 * Fixture models built with Gyre's ONNX builder, shaped like what skl2onnx and torch.onnx write:
 * - `linear3`: y = x·[1,2,3] + 0.5 over one [N,3] float input (torch-like);
 * - `mixed`: a string input 'city' (LabelEncoder → int64 → float) and a float input 'temp',
 *   y = 10·code(city) + temp (per-feature inputs, like skl2onnx with a ColumnTransformer);
 * - `zipmapClassifier`: LinearClassifier over [N,2] with a `label` tensor and a ZipMap
 *   `probabilities` output (a sequence of maps), exactly skl2onnx's default classifier layout.
 */
import onnxProto from 'onnx-proto';
import { buildOnnxModel } from './onnx-builder.js';
import { ONNX_ELEM as E } from './onnx-types.js';
import { linearModel } from '../test-support/tiny-onnx.js';

export const linear3 = (): Uint8Array => linearModel([1, 2, 3], 0.5);

export function mixed(): Uint8Array {
  return buildOnnxModel({
    name: 'mixed',
    nodes: [
      { op: 'LabelEncoder', domain: 'ai.onnx.ml', inputs: ['city'], outputs: ['city_code'], attributes: { keys_strings: ['Berlin', 'Paris', 'Rome'], values_int64s: [0, 1, 2], default_int64: -1 } },
      { op: 'Cast', inputs: ['city_code'], outputs: ['city_f'], attributes: { to: E.FLOAT } },
      { op: 'Mul', inputs: ['city_f', 'ten'], outputs: ['city_10'] },
      { op: 'Add', inputs: ['city_10', 'temp'], outputs: ['y'] },
    ],
    initializers: [{ name: 'ten', elemType: E.FLOAT, dims: [], values: [10] }],
    inputs: [
      { name: 'city', elemType: E.STRING, shape: ['N', 1] },
      { name: 'temp', elemType: E.FLOAT, shape: ['N', 1] },
    ],
    outputs: [{ name: 'y', elemType: E.FLOAT, shape: ['N', 1] }],
  });
}

export function zipmapClassifier(): Uint8Array {
  const model = buildOnnxModel({
    name: 'classifier',
    producer: 'skl2onnx-like',
    nodes: [
      {
        op: 'LinearClassifier',
        domain: 'ai.onnx.ml',
        inputs: ['X'],
        outputs: ['label', 'probability_tensor'],
        attributes: { classlabels_ints: [0, 1], coefficients: { floats: [1, -1, -1, 1] }, intercepts: { floats: [0, 0] }, post_transform: 'LOGISTIC', multi_class: 0 },
      },
      { op: 'Normalizer', domain: 'ai.onnx.ml', inputs: ['probability_tensor'], outputs: ['probabilities'], attributes: { norm: 'L1' } },
      { op: 'ZipMap', domain: 'ai.onnx.ml', inputs: ['probabilities'], outputs: ['output_probability'], attributes: { classlabels_int64s: [0, 1] } },
    ],
    inputs: [{ name: 'X', elemType: E.FLOAT, shape: ['N', 2] }],
    outputs: [
      { name: 'label', elemType: E.INT64, shape: ['N'] },
      { name: 'probabilities', elemType: E.FLOAT, shape: ['N', 2] },
      { name: 'output_probability', elemType: 0, shape: [] },
    ],
  });
  return withZipMapOutputType(model);
}

/** The builder writes tensor outputs; ZipMap's is seq(map(int64, float)), patched in here. */
function withZipMapOutputType(bytes: Uint8Array): Uint8Array {
  return patchOutput(bytes, 'output_probability');
}

function patchOutput(bytes: Uint8Array, name: string): Uint8Array {
  const { onnx } = onnxProto;
  const m = onnx.ModelProto.decode(bytes);
  const out = m.graph!.output!.find((o) => o.name === name)!;
  out.type = { sequenceType: { elemType: { mapType: { keyType: E.INT64, valueType: { tensorType: { elemType: E.FLOAT } } } } } };
  return onnx.ModelProto.encode(m).finish();
}
