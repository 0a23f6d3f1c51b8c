/** The linear exporter against the same preprocessing and scores computed by hand. */
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { linearToOnnx } from './linear-to-onnx.js';
import type { LinearLike } from './linear-to-onnx.js';

const model = (task: 'regression' | 'classification', coef: number[][], intercept: number[], classes: string[] | null = null): LinearLike => ({
  task,
  classes,
  features: [
    { name: 'temp', kind: 'numeric' },
    { name: 'city', kind: 'categorical', categories: ['Berlin', 'Paris'] },
  ],
  inputs: [
    { kind: 'numeric', mean: 20, scale: 5, missingIndicator: true },
    { kind: 'categorical', nCategories: 2 },
  ],
  coef,
  intercept,
});
const rows: [number | null, string][] = [
  [25, 'Berlin'],
  [null, 'Paris'],
  [10, 'Oslo'],
];
const design = ([t, c]: [number | null, string]) => [t === null ? 0 : (t - 20) / 5, t === null ? 1 : 0, c === 'Berlin' ? 1 : 0, c === 'Paris' ? 1 : 0];

async function run(m: LinearLike) {
  const s = await ort.InferenceSession.create(linearToOnnx(m));
  return s.run({
    temp: new ort.Tensor('float64', Float64Array.from(rows.map((r) => r[0] ?? Number.NaN)), [rows.length, 1]),
    city: new ort.Tensor('string', rows.map((r) => r[1]), [rows.length, 1]),
  });
}

describe('linear → ONNX (real ONNX Runtime)', () => {
  it('ridge: imputation, missing indicator, standardization and one-hot happen in the graph', async () => {
    const m = model('regression', [[2, -3, 10, 20]], [100]);
    const out = (await run(m)).prediction!.data as Float64Array;
    rows.forEach((r, i) => expect(Math.abs(out[i]! - (100 + design(r).reduce((s, x, j) => s + x * m.coef[0]![j]!, 0)))).toBeLessThan(1e-4));
  });

  it('multinomial logistic: softmax probabilities and class labels', async () => {
    const m = model('classification', [[1, 0, 0.5, -0.5], [-1, 0.2, 0, 0.3], [0, 0, 0, 0]], [0.1, -0.1, 0], ['a', 'b', 'c']);
    const out = await run(m);
    const p = out.probabilities!.data as Float64Array;
    rows.forEach((r, i) => {
      const z = m.coef.map((c, k) => m.intercept[k]! + design(r).reduce((s, x, j) => s + x * c[j]!, 0));
      const e = z.map((v) => Math.exp(v));
      const sum = e.reduce((a, b) => a + b, 0);
      e.forEach((v, k) => expect(Math.abs(p[3 * i + k]! - v / sum)).toBeLessThan(1e-5));
      expect((out.label!.data as string[])[i]).toBe(m.classes![z.indexOf(Math.max(...z))]);
    });
  });
});
