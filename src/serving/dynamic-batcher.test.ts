import { describe, expect, it } from 'vitest';
import { OnnxModel } from './onnx-model.js';
import { canBatch } from './dynamic-batcher.js';
import { ELEM, identityModel, linearModel } from '../test-support/tiny-onnx.js';

const request = (rows: number[][]) => ({ inputs: [{ name: 'x', shape: [rows.length, 3], datatype: 'FP32', data: rows }] });

describe('dynamic batching (real ONNX Runtime)', () => {
  it('merges concurrent requests into fewer runtime calls and gives each caller exactly its own rows', async () => {
    const m = await OnnxModel.load(linearModel([1, 10, 100], 0), { batching: true });
    const requests = Array.from({ length: 40 }, (_, i) => request(Array.from({ length: (i % 3) + 1 }, (_, r) => [i, r, 1])));
    const answers = await Promise.all(requests.map((r) => m.infer(r, 'lin')));
    answers.forEach((a, i) => {
      const rows = (i % 3) + 1;
      expect(a.outputs[0]!.shape).toEqual([rows, 1]);
      expect(a.outputs[0]!.data).toEqual(Array.from({ length: rows }, (_, r) => i + 10 * r + 100));
    });
    expect(m.batcher!.stats.requests).toBe(40);
    expect(m.batcher!.stats.batches).toBeLessThan(40);
  });

  it('runs requests that arrive in the same turn as one batch: the first does not run alone ahead of the rest', async () => {
    const m = await OnnxModel.load(linearModel([1, 0, 0], 0), { batching: true });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => m.infer(request([[i, 0, 0]]), 'lin')));
    expect(answers.map((a) => a.outputs[0]!.data[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(m.batcher!.stats).toEqual({ requests: 8, batches: 1 });
  });

  it('answers a lone request at once and respects the row limit', async () => {
    const m = await OnnxModel.load(linearModel([1, 0, 0], 0), { batching: true, maxBatchRows: 4 });
    await m.infer(request([[1, 0, 0]]), 'lin');
    expect(m.batcher!.stats).toEqual({ requests: 1, batches: 1 });
    await Promise.all(Array.from({ length: 12 }, () => m.infer(request([[1, 0, 0], [2, 0, 0]]), 'lin')));
    // 2 rows each, at most 4 rows per call: never fewer than 6 calls for the 12.
    expect(m.batcher!.stats.batches - 1).toBeGreaterThanOrEqual(6);
  });

  it('batches string tensors and keeps requests with different output lists apart', async () => {
    const m = await OnnxModel.load(identityModel(ELEM.STRING, 1), { batching: true });
    const answers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((s, i) => m.infer({ inputs: [{ name: 'in', shape: [1, 1], datatype: 'BYTES', data: [s] }], ...(i % 2 ? { outputs: [{ name: 'out' }] } : {}) }, 'id')),
    );
    expect(answers.map((a) => a.outputs[0]!.data[0])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('is off unless asked for, and with a queue delay waits to gather a lone request\'s company', async () => {
    expect((await OnnxModel.load(linearModel([1, 0, 0], 0))).batcher).toBeNull();
    const m = await OnnxModel.load(linearModel([1, 0, 0], 0), { batching: true, maxQueueDelayMs: 20 });
    const first = m.infer(request([[1, 0, 0]]), 'lin');
    await new Promise((r) => setTimeout(r, 5));
    const second = m.infer(request([[2, 0, 0]]), 'lin');
    expect((await Promise.all([first, second])).map((a) => a.outputs[0]!.data[0])).toEqual([1, 2]);
    expect(m.batcher!.stats).toEqual({ requests: 2, batches: 1 });
  });

  it('batches only models whose inputs and outputs all have a free first dimension', () => {
    const free = { name: 'x', datatype: 'FP32' as const, shape: [-1, 3] };
    expect(canBatch([free], [{ ...free, name: 'y' }])).toBe(true);
    expect(canBatch([{ ...free, shape: [1, 3] }], [{ ...free, name: 'y' }])).toBe(false);
    expect(canBatch([free], [{ ...free, name: 'scalar', shape: [] }])).toBe(false);
  });
});
