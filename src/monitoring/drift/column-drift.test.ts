import { describe, expect, it } from 'vitest';
import { columnDrift, datasetDrift, defaultMethod } from './column-drift.js';
import { rejection } from '../../test-support/expect-invalid-argument.js';

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe("Evidently's default drift tests", () => {
  it('picks the test by reference size, type and distinct values', () => {
    expect(defaultMethod(range(500, (i) => i % 50), range(100, (i) => i), true)).toBe('ks');
    expect(defaultMethod(range(500, (i) => i % 4), range(100, (i) => i % 4), true)).toBe('chisquare');
    expect(defaultMethod(['a', 'b', 'c'], ['a'], false)).toBe('chisquare');
    expect(defaultMethod(['yes', 'no'], ['no'], false)).toBe('z');
    expect(defaultMethod(range(5000, (i) => i % 100), range(100, (i) => i), true)).toBe('wasserstein');
    expect(defaultMethod(range(5000, (i) => i % 3), range(100, (i) => i % 3), true)).toBe('jensenshannon');
  });

  it('flags a shifted numeric column and not an unchanged one; p-values below, distances at or above the threshold', () => {
    const ref = range(2000, (i) => Math.sin(i) * 10);
    const same = columnDrift('temp', ref, range(1000, (i) => Math.sin(i + 7) * 10), true);
    expect(same).toMatchObject({ method: 'wasserstein', scoreKind: 'distance', threshold: 0.1, drifted: false });
    const shifted = columnDrift('temp', ref, range(1000, (i) => Math.sin(i) * 10 + 5), true);
    expect(shifted.drifted).toBe(true);
    const small = columnDrift('temp', ref.slice(0, 800), range(400, (i) => Math.sin(i) * 10 + 5), true);
    expect(small).toMatchObject({ method: 'ks', scoreKind: 'p_value', threshold: 0.05, drifted: true });
  });

  it('catches a new category and leaves missing values out', () => {
    const d = columnDrift('city', ['a', 'b', null, 'a', 'b', 'c'], ['a', 'b', 'c', 'd', 'd', NaN], false);
    expect(d).toMatchObject({ method: 'chisquare', drifted: true, referenceCount: 5, currentCount: 5 });
  });

  it('lets a column override the method and threshold, and refuses nonsense', () => {
    expect(columnDrift('x', [1, 2, 3, 4, 5, 6, 7], [2, 3, 4, 5, 6, 7, 8], true, { method: 'psi', threshold: 5 })).toMatchObject({ method: 'psi', threshold: 5, drifted: false });
    expect(rejection(() => columnDrift('x', ['a'], ['b'], false, { method: 'ks' })).message).toMatch(/needs a numeric column/);
    expect(rejection(() => columnDrift('x', [null], [1], true)).message).toMatch(/no non-missing values in the reference/);
    expect(rejection(() => columnDrift('x', [1], [1], true, { method: 'magic' as never })).message).toMatch(/Unknown drift method 'magic'/);
  });

  it('calls the dataset drifted when at least half its columns drift', () => {
    const c = (drifted: boolean) => ({ column: 'c', method: 'ks' as const, score: 0, threshold: 0.05, scoreKind: 'p_value' as const, drifted, referenceCount: 1, currentCount: 1 });
    expect(datasetDrift([c(true), c(false)]).drifted).toBe(true);
    expect(datasetDrift([c(true), c(false), c(false)])).toMatchObject({ drifted: false, driftedShare: 1 / 3 });
  });
});
