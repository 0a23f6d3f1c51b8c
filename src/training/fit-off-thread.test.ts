import { describe, expect, it } from 'vitest';
import { createFrame } from './dataset/frame.js';
import { fitModel } from './fitted-model.js';
import { fitOffThread } from './fit-off-thread.js';

const n = 300;
const x = Float64Array.from({ length: n }, (_, i) => (i * 37) % 50);
const frame = createFrame([
  { kind: 'numeric', name: 'x', values: x },
  { kind: 'numeric', name: 'y', values: Float64Array.from(x, (v) => 3 * v + 1) },
  { kind: 'numeric', name: 'flat', values: new Float64Array(n).fill(2) },
]);

describe('fitOffThread', () => {
  it('fits on a worker thread the same model as in process (seeded), and it predicts and exports here', async () => {
    const here = fitModel('gbdt', frame, 'y', { features: ['x'] }, { maxIter: 20, seed: 3 });
    const there = await fitOffThread('gbdt', frame, 'y', { features: ['x'] }, { maxIter: 20, seed: 3 });
    expect(there.iterations).toBe(here.iterations);
    const a = here.predict(frame);
    const b = there.predict(frame);
    expect(a.task === 'regression' && b.task === 'regression' && Array.from(b.values)).toEqual(a.task === 'regression' && Array.from(a.values));
    expect(there.toOnnx('m').length).toBeGreaterThan(100);
  });

  it("brings the trainer's error back as the same GyreError", async () => {
    await expect(fitOffThread('gbdt', frame, 'flat', { features: ['x'] }, {})).rejects.toMatchObject({ name: 'GyreError', code: 'INVALID_ARGUMENT', message: expect.stringMatching(/Target 'flat' is constant/) });
  });
});
