import { describe, expect, it } from 'vitest';
import { accuracy, logLoss, r2, rmse, rocAuc } from './metrics.js';

// Expected values computed by hand (and equal to scikit-learn's on the same inputs).
describe('metrics', () => {
  it('accuracy counts exact matches', () => {
    expect(accuracy(['a', 'b', 'a', 'c'], ['a', 'b', 'b', 'c'])).toBe(0.75);
  });

  it('ROC AUC is the share of positive/negative pairs ranked right, ties half', () => {
    // pairs (pos score, neg score): (0.35,0.1) ok, (0.35,0.4) wrong, (0.8,0.1) ok, (0.8,0.4) ok → 3/4
    expect(rocAuc([false, false, true, true], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    // one tie between a positive and a negative counts 1/2: (0.5 vs 0.5) → (1 + 0.5) / 2
    expect(rocAuc([true, false, true, false], [0.5, 0.5, 0.9, 0.1])).toBe(0.875);
    expect(() => rocAuc([true, true], [0.1, 0.2])).toThrow(/both positive and negative/);
  });

  it('log loss averages -ln p(true class), clipped', () => {
    const p = [0.9, 0.1, 0.2, 0.8, 0.5, 0.5];
    expect(logLoss([0, 1, 1], p, 2)).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.5)) / 3, 12);
    expect(logLoss([1], [1, 0], 2)).toBeCloseTo(-Math.log(1e-15), 6);
  });

  it('RMSE and R²', () => {
    // errors 1, -1, 2 → mean square 2
    expect(rmse([1, 2, 3], [0, 3, 1])).toBeCloseTo(Math.SQRT2, 12);
    // mean 2, SStot 2, SSres 6 → 1 - 3 = -2
    expect(r2([1, 2, 3], [0, 3, 1])).toBeCloseTo(-2, 12);
    expect(r2([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(() => r2([2, 2], [1, 2])).toThrow(/constant/);
    expect(() => rmse([1], [1, 2])).toThrow(/length/);
  });
});
