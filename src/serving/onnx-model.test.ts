import { describe, expect, it } from 'vitest';
import { OnnxModel } from './onnx-model.js';
import { ELEM, identityModel, linearModel } from '../test-support/tiny-onnx.js';
import { expectInvalidArgument } from '../test-support/expect-invalid-argument.js';

describe('OnnxModel (real ONNX Runtime)', () => {
  it('reads the signature from the session and answers an OIP request, nested or flat data alike', async () => {
    const m = await OnnxModel.load(linearModel([1, 2, 3], 0.5));
    expect(m.metadata('lin')).toEqual({
      name: 'lin',
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 1] }],
    });
    const nested = await m.infer({ id: 'r1', inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP32', data: [[1, 1, 1], [0, 0, 2]] }] }, 'lin', '3');
    expect(nested).toEqual({ model_name: 'lin', model_version: '3', id: 'r1', outputs: [{ name: 'y', shape: [2, 1], datatype: 'FP32', data: [6.5, 6.5] }] });
    const flat = await m.infer({ inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP32', data: [1, 1, 1, 0, 0, 2] }] }, 'lin');
    expect(flat.outputs[0]!.data).toEqual([6.5, 6.5]);
  });

  it.each([
    ['INT64', ELEM.INT64, [1, -2, 9007199254740993n.toString(), 4], [1, -2, '9007199254740993', 4]],
    ['INT32', ELEM.INT32, [1, -2, 3, 4], [1, -2, 3, 4]],
    ['UINT8', ELEM.UINT8, [0, 255, 3, 4], [0, 255, 3, 4]],
    ['BOOL', ELEM.BOOL, [true, false, false, true], [true, false, false, true]],
    ['FP64', ELEM.DOUBLE, [0.1, 'NaN', -1e300, 2], [0.1, 'NaN', -1e300, 2]],
    ['BYTES', ELEM.STRING, ['a', 'b', 'ü', ''], ['a', 'b', 'ü', '']],
    ['UINT64', ELEM.UINT64, [0, 1, 2, '18446744073709551615'], [0, 1, 2, '18446744073709551615']],
  ] as const)('round-trips %s through the runtime', async (datatype, elem, data, expected) => {
    const m = await OnnxModel.load(identityModel(elem));
    const res = await m.infer({ inputs: [{ name: 'in', shape: [2, 2], datatype, data }] }, 'id');
    expect(res.outputs[0]).toEqual({ name: 'out', shape: [2, 2], datatype, data: expected });
  });

  it('refuses bad requests naming the input and what to send', async () => {
    const m = await OnnxModel.load(linearModel([1, 2, 3], 0));
    const x = (over: Record<string, unknown>) => ({ inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3], ...over }] });
    await expectInvalidArgument(m.infer({}, 'lin'), /"inputs" must be a non-empty list; this model takes 'x' \(FP32 \[-1, 3\]\)/);
    await expectInvalidArgument(m.infer(x({ name: 'z' }), 'lin'), /no input 'z'/);
    await expectInvalidArgument(m.infer(x({ datatype: 'FP64' }), 'lin'), /expects FP32, got FP64/);
    await expectInvalidArgument(m.infer(x({ datatype: 'FLOAT' }), 'lin'), /"datatype" must be one of/);
    await expectInvalidArgument(m.infer(x({ shape: [1, 4], data: [1, 2, 3, 4] }), 'lin'), /dimension 1 must be 3/);
    await expectInvalidArgument(m.infer(x({ shape: [3] }), 'lin'), /expects 2 dimensions/);
    await expectInvalidArgument(m.infer(x({ shape: [2, 3] }), 'lin'), /holds 6 elements but "data" has 3/);
    await expectInvalidArgument(m.infer(x({ data: [1, 'two', 3] }), 'lin'), /element 1 is "two", but datatype FP32 needs a number/);
    await expectInvalidArgument(m.infer({ ...x({}), outputs: [{ name: 'nope' }] }, 'lin'), /no output "nope"; it has 'y'/);
    const half = await OnnxModel.load(identityModel(ELEM.FLOAT16));
    expect(half.inputs).toEqual([{ name: 'in', datatype: 'FP16', shape: [-1, 2] }]);
    await expectInvalidArgument(half.infer({ inputs: [{ name: 'in', shape: [1, 2], datatype: 'FP16', data: [1, 2] }] }, 'h'), /FP16 has no JSON representation/);
  });

  it('refuses bytes that are not an ONNX model with the runtime\'s reason', async () => {
    await expect(OnnxModel.load(new TextEncoder().encode('not a model'))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^ONNX Runtime cannot load this model: .+/),
    });
  });
});
