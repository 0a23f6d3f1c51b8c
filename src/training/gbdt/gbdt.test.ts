import { describe, expect, it } from 'vitest';
import { GyreError } from '../../core/errors.js';
import { createFrame } from '../dataset/frame.js';
import type { Column, Frame } from '../dataset/frame.js';
import { accuracy } from '../evaluation/metrics.js';
import { Rng } from '../random.js';
import { encodeFeatures } from '../features.js';
import { fitGbdt } from './fit.js';
import { treeValue } from './model.js';
import { predictClasses, predictProba, predictRaw, predictValues } from './predict.js';

const num = (name: string, values: number[]): Column => ({ kind: 'numeric', name, values: Float64Array.from(values) });
const cat = (name: string, labels: (string | null)[]): Column => {
  const categories = [...new Set(labels.filter((l): l is string => l !== null))];
  return { kind: 'categorical', name, codes: Int32Array.from(labels, (l) => (l === null ? -1 : categories.indexOf(l))), categories };
};

/** y = 10·[color ∈ {red, blue}] + 5·x (+ noise); x missing in 10% of rows where y gets +20. */
function synthetic(n: number, seed: number): Frame {
  const rng = new Rng(seed);
  const colors = ['red', 'green', 'blue', 'black', 'white'];
  const x: number[] = [];
  const c: string[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const color = colors[rng.int(5)];
    const missing = rng.next() < 0.1;
    const xv = rng.next() * 4;
    x.push(missing ? NaN : xv);
    c.push(color);
    y.push((color === 'red' || color === 'blue' ? 10 : 0) + (missing ? 20 : 5 * xv) + rng.next() * 0.1);
  }
  return createFrame([num('x', x), cat('color', c), num('y', y)]);
}

const fitErr = (frame: Frame, options: Parameters<typeof fitGbdt>[1]): GyreError => {
  try {
    fitGbdt(frame, options);
  } catch (err) {
    return err as GyreError;
  }
  throw new Error('expected fitGbdt to throw');
};

describe('fitGbdt', () => {
  it('is deterministic: the same seed gives a byte-identical model, another seed a different one', () => {
    const f = synthetic(3000, 1);
    const params = { subsample: 0.7, maxFeatures: 0.5, earlyStopping: true, maxIter: 30, seed: 7 };
    const a = JSON.stringify(fitGbdt(f, { target: 'y', params }));
    expect(JSON.stringify(fitGbdt(f, { target: 'y', params }))).toBe(a);
    expect(JSON.stringify(fitGbdt(f, { target: 'y', params: { ...params, seed: 8 } }))).not.toBe(a);
  });

  it('learns categorical set splits and a missing-value direction', () => {
    const model = fitGbdt(synthetic(4000, 2), { target: 'y', params: { maxIter: 200, earlyStopping: false } });
    const probe = createFrame([num('x', [1, 1, NaN, NaN]), cat('color', ['red', 'green', 'blue', 'white']), num('y', [0, 0, 0, 0])]);
    const p = predictValues(model, probe);
    expect(p[0]).toBeCloseTo(15, 0);
    expect(p[1]).toBeCloseTo(5, 0);
    expect(p[2]).toBeCloseTo(30, 0);
    expect(p[3]).toBeCloseTo(20, 0);
    const catNode = model.trees.flat().some((t) => t.categories.some((s) => s !== null && s.length >= 1));
    expect(catNode).toBe(true);
  });

  it('scores missing values and categories unseen at training as missing (documented)', () => {
    const model = fitGbdt(synthetic(2000, 3), { target: 'y', params: { maxIter: 20 } });
    const unseen = createFrame([num('x', [2, 2]), cat('color', ['purple', null])]);
    const p = predictValues(model, unseen);
    expect(p[0]).toBe(p[1]);
    expect(Number.isFinite(p[0])).toBe(true);
  });

  it('fits multiclass softmax: one tree per class per iteration, probabilities summing to 1', () => {
    const rng = new Rng(5);
    const a: number[] = [];
    const b: number[] = [];
    const y: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const u = rng.next() * 3;
      const v = rng.next() * 3;
      a.push(u);
      b.push(v);
      y.push(u + v < 2 ? 'low' : u + v < 4 ? 'mid' : 'high');
    }
    const f = createFrame([num('a', a), num('b', b), cat('y', y)]);
    const model = fitGbdt(f, { target: 'y', params: { maxIter: 40 } });
    expect(model.classes).toEqual(['high', 'low', 'mid']);
    expect(model.trees[0]).toHaveLength(3);
    const proba = predictProba(model, f);
    for (let i = 0; i < 10; i++) expect(proba[3 * i] + proba[3 * i + 1] + proba[3 * i + 2]).toBeCloseTo(1, 12);
    expect(accuracy(y, predictClasses(model, f))).toBeGreaterThan(0.95);
    expect(predictRaw(model, f)).toHaveLength(4500);
  });

  it('stops early when the validation loss stops improving', () => {
    // Pure noise target: nothing generalizes, so the validation loss turns up within a few rounds.
    const rng = new Rng(9);
    const n = 3000;
    const f = createFrame([num('x', Array.from({ length: n }, () => rng.next())), num('y', Array.from({ length: n }, () => rng.next()))]);
    const model = fitGbdt(f, { target: 'y', params: { earlyStopping: true, maxIter: 500, nIterNoChange: 5 } });
    expect(model.training.earlyStopped).toBe(true);
    expect(model.training.nIter).toBeLessThan(60);
    expect(model.trees).toHaveLength(model.training.nIter);
    expect(model.training.validationLoss).toHaveLength(model.training.nIter + 1);
    expect(model.training.nValidationRows).toBe(300);
  });

  it('turns early stopping on automatically only above 10,000 rows (scikit-learn rule)', () => {
    const model = fitGbdt(synthetic(500, 4), { target: 'y', params: { maxIter: 15 } });
    expect(model.training.nValidationRows).toBe(0);
    expect(model.training.nIter).toBe(15);
  });

  it('respects maxDepth, maxLeafNodes and minSamplesLeaf', () => {
    const f = synthetic(2000, 6);
    const depth = (t: { left: number[]; right: number[] }, i = 0): number => (t.left[i] < 0 ? 0 : 1 + Math.max(depth(t, t.left[i]), depth(t, t.right[i])));
    const m1 = fitGbdt(f, { target: 'y', params: { maxIter: 5, maxDepth: 2, maxLeafNodes: null } });
    for (const [t] of m1.trees) expect(depth(t)).toBeLessThanOrEqual(2);
    const m2 = fitGbdt(f, { target: 'y', params: { maxIter: 5, maxLeafNodes: 4, minSamplesLeaf: 100 } });
    for (const [t] of m2.trees) {
      const leaves = t.feature.map((ft, i) => (ft < 0 ? i : -1)).filter((i) => i >= 0);
      expect(leaves.length).toBeLessThanOrEqual(4);
      for (const i of leaves) expect(t.count[i]).toBeGreaterThanOrEqual(100);
    }
  });

  it('rejects bad input with clear INVALID_ARGUMENT errors', () => {
    const f = synthetic(100, 7);
    expect(fitErr(f, { target: 'nope' }).message).toMatch(/Unknown target column 'nope'/);
    expect(fitErr(f, { target: 'y', params: { learningRate: 0 } }).message).toMatch(/'learningRate' must be a number in \(0, 10\]/);
    expect(fitErr(f, { target: 'y', params: { maxIter: 2.5 } }).message).toMatch(/'maxIter' must be an integer/);
    const unknown = fitErr(f, { target: 'y', params: { max_iter: 3 } as never });
    expect(unknown.code).toBe('INVALID_ARGUMENT');
    expect(unknown.message).toMatch(/Unknown GBDT parameter 'max_iter'/);
    expect(unknown.details.valid).toContain('maxIter');
    const constant = createFrame([num('x', [1, 2, 3]), num('y', [4, 4, 4])]);
    expect(fitErr(constant, { target: 'y' }).message).toMatch(/constant/);
    const oneClass = createFrame([num('x', [1, 2]), cat('y', ['a', 'a'])]);
    expect(fitErr(oneClass, { target: 'y' }).message).toMatch(/constant/);
    const nulls = createFrame([num('x', [1, 2, 3]), num('y', [1, NaN, 3])]);
    expect(fitErr(nulls, { target: 'y' }).message).toMatch(/1 missing values/);
    const catNulls = createFrame([num('x', [1, 2, 3]), cat('y', ['a', null, 'b'])]);
    expect(fitErr(catNulls, { target: 'y' }).message).toMatch(/missing values/);
    const empty = createFrame([num('x', []), num('y', [])]);
    expect(fitErr(empty, { target: 'y' }).message).toMatch(/empty/);
    expect(fitErr(f, { target: 'y', features: ['x', 'y'] }).message).toMatch(/also listed as a feature/);
    expect(fitErr(f, { target: 'y', features: ['zz'] }).message).toMatch(/Unknown column 'zz'/);
  });
});

describe('binned training and raw prediction agree', () => {
  it('reproduces the validation loss from raw-data predictions (categories over the cap, missing values)', async () => {
    const { stratifiedHoldout } = await import('./holdout.js');
    const rng = new Rng(11);
    const n = 4000;
    const x: number[] = [];
    const c: (string | null)[] = [];
    const y: string[] = [];
    for (let i = 0; i < n; i++) {
      const level = rng.int(40);
      const xv = rng.next() < 0.15 ? NaN : rng.next();
      x.push(xv);
      c.push(rng.next() < 0.05 ? null : `L${level}`);
      y.push((level % 3 === 0) !== (xv > 0.5) ? 'yes' : 'no');
    }
    const f = createFrame([num('x', x), cat('c', c), cat('y', y)]);
    // maxCategories 8: 7 levels keep a bin, 33 share the "other" bin.
    const model = fitGbdt(f, { target: 'y', params: { earlyStopping: true, maxCategories: 8, maxIter: 30, nIterNoChange: 30, seed: 3 } });
    expect(model.trees.flat().some((t) => t.categories.some((s) => s !== null && s.length > 1))).toBe(true);
    // The holdout is the first draw from the fit's seeded PRNG: recompute it.
    const yIdx = Float64Array.from(y, (l) => (l === 'yes' ? 1 : 0));
    const { validation } = stratifiedHoldout(yIdx, 2, 0.1, new Rng(3));
    const raw = predictRaw(model, f);
    let loss = 0;
    for (const r of validation) loss += Math.log1p(Math.exp(-raw[r])) + (1 - yIdx[r]) * raw[r];
    expect(loss / validation.length).toBeCloseTo(model.training.validationLoss.at(-1)!, 10);
    // The compiled predictor equals the plain walk over the JSON model (the structure ONNX export reads).
    const cols = encodeFeatures(f, model.features);
    for (let r = 0; r < 200; r++) {
      let s = model.baseline[0];
      for (const [t] of model.trees) s += treeValue(t, cols, r);
      expect(raw[r]).toBe(s);
    }
  });
});
