import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFrame, getColumn } from '../dataset/frame.js';
import type { Column } from '../dataset/frame.js';
import { loadAdult } from '../dataset/examples.js';
import { accuracy, rocAuc } from '../evaluation/metrics.js';
import { Rng } from '../random.js';
import { fitLinear } from './fit.js';
import { predictLinearClasses, predictLinearProba, predictLinearValues } from './predict.js';

const DATA = fileURLToPath(new URL('../../../examples/data', import.meta.url));
const num = (name: string, values: number[]): Column => ({ kind: 'numeric', name, values: Float64Array.from(values) });
const cat = (name: string, labels: (string | null)[]): Column => {
  const categories = [...new Set(labels.filter((l): l is string => l !== null))];
  return { kind: 'categorical', name, codes: Int32Array.from(labels, (l) => (l === null ? -1 : categories.indexOf(l))), categories };
};

describe('fitLinear', () => {
  it('Adult logistic regression: accuracy ≥ 0.845 (scikit-learn one-hot + scaling: 0.8530)', () => {
    const { train, test } = loadAdult(DATA);
    const model = fitLinear(train, { target: 'Y' });
    expect(model.kind).toBe('logistic');
    expect(model.training.converged).toBe(true);
    const truth = getColumn(test, 'Y');
    const labels = Array.from(truth.kind === 'categorical' ? truth.codes : [], (c) => (truth as { categories: readonly string[] }).categories[c]);
    expect(accuracy(labels, predictLinearClasses(model, test))).toBeGreaterThanOrEqual(0.845);
    const proba = predictLinearProba(model, test);
    expect(rocAuc(labels.map((l) => l === '>50K'), Array.from({ length: test.nRows }, (_, i) => proba[2 * i + 1]))).toBeGreaterThan(0.9);
  });

  it('ridge recovers a linear function with one-hot categories, imputing missing values', () => {
    const rng = new Rng(3);
    const x: number[] = [];
    const c: string[] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const xv = rng.next() * 10;
      const cv = ['a', 'b', 'c'][rng.int(3)];
      x.push(xv);
      c.push(cv);
      y.push(3 * xv + (cv === 'b' ? 5 : cv === 'c' ? -2 : 0) + 1);
    }
    x[0] = NaN;
    const f = createFrame([num('x', x), cat('c', c), num('y', y)]);
    const model = fitLinear(f, { target: 'y', params: { alpha: 1e-8 } });
    expect(model.columns.slice(0, 2)).toEqual(['x', 'x__missing']);
    expect(model.columns.slice(2).sort()).toEqual(['c=a', 'c=b', 'c=c']);
    const probe = createFrame([num('x', [2, 4]), cat('c', ['b', 'zz']), num('y', [0, 0])]);
    const p = predictLinearValues(model, probe);
    expect(p[0]).toBeCloseTo(3 * 2 + 5 + 1, 3);
    // Unseen category: all one-hot columns zero, i.e. the average category effect baked into the intercept.
    expect(Number.isFinite(p[1])).toBe(true);
  });

  it('multinomial logistic regression separates three classes deterministically', () => {
    const rng = new Rng(4);
    const a: number[] = [];
    const y: string[] = [];
    for (let i = 0; i < 600; i++) {
      const u = rng.next() * 3;
      a.push(u);
      y.push(u < 1 ? 'x' : u < 2 ? 'y' : 'z');
    }
    const f = createFrame([num('a', a), cat('t', y)]);
    const m = fitLinear(f, { target: 't', params: { alpha: 1e-3 } });
    expect(m.coef).toHaveLength(3);
    expect(accuracy(y, predictLinearClasses(m, f))).toBeGreaterThan(0.95);
    expect(JSON.stringify(fitLinear(f, { target: 't', params: { alpha: 1e-3 } }))).toBe(JSON.stringify(m));
  });

  it('rejects bad parameters and targets', () => {
    const f = createFrame([num('x', [1, 2, 3]), num('y', [1, 2, 2])]);
    expect(() => fitLinear(f, { target: 'y', params: { alpha: -1 } })).toThrow(/'alpha' must be a number ≥ 0/);
    expect(() => fitLinear(f, { target: 'y', params: { C: 1 } as never })).toThrow(/Unknown linear parameter 'C'/);
    expect(() => fitLinear(f, { target: 'q' })).toThrow(/Unknown target column 'q'/);
    expect(() => fitLinear(createFrame([num('x', [1, 2]), num('y', [3, 3])]), { target: 'y' })).toThrow(/constant/);
  });
});
