/**
 * The drift statistics of ../drift/stat-tests.ts computed from a stored reference profile (a weighted
 * sorted distribution, or category counts) and the current window's values. With an exact profile
 * the arithmetic is the same as on the raw data; with a sketch, the reference CDF is within
 * 1/SKETCH_POINTS of the true one (docs/monitoring.md states the resulting tolerance).
 */
import type { Binned, Value } from '../drift/binning.js';
import { fillZeroShares, histogram, sturgesEdgesOf } from '../drift/binning.js';
import { chiSquareSf, twoSidedNormalP } from '../drift/special-functions.js';
import { ksPValue } from '../drift/stat-tests.js';
import type { NumericColumnProfile } from './entities.js';

/** The current window's numeric column: its present values sorted; distinct values with counts built only when a test needs them. */
export class SortedSample {
  private runs: { values: number[]; counts: number[] } | null = null;
  constructor(readonly sorted: Float64Array) {}

  get values(): number[] {
    return this.distinct().values;
  }

  get counts(): number[] {
    return this.distinct().counts;
  }

  private distinct(): { values: number[]; counts: number[] } {
    if (this.runs) return this.runs;
    const values: number[] = [];
    const counts: number[] = [];
    const s = this.sorted;
    for (let i = 0; i < s.length; i++) {
      if (values.length > 0 && values[values.length - 1] === s[i]) counts[counts.length - 1]!++;
      else {
        values.push(s[i]!);
        counts.push(1);
      }
    }
    return (this.runs = { values, counts });
  }
}

export const sortedSample = (sorted: Float64Array): SortedSample => new SortedSample(sorted);

/** Distinct values in reference ∪ current; a sketch has more than MAX_EXACT_DISTINCT anyway. */
export function unionDistinct(ref: NumericColumnProfile, cur: SortedSample): number {
  if (!ref.exact) return ref.distinct + 1;
  const rv = ref.values;
  const s = cur.sorted;
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < rv.length || j < s.length) {
    const x = Math.min(i < rv.length ? rv[i]! : Infinity, j < s.length ? s[j]! : Infinity);
    while (i < rv.length && rv[i] === x) i++;
    while (j < s.length && s[j] === x) j++;
    n++;
  }
  return n;
}

/*
 * KS and Wasserstein walk the merged distinct values of both sides in ascending order with both
 * empirical CDFs at each (F(x) = share of values ≤ x, as upperBound/n does on raw arrays). The two
 * loops are written out rather than shared through a callback: they run once per current row.
 */
export function ksFromProfile(ref: NumericColumnProfile, cur: SortedSample): number {
  const rv = ref.values;
  const rc = ref.counts;
  const s = cur.sorted;
  const n = ref.count;
  const m = s.length;
  let i = 0;
  let j = 0;
  let cumRef = 0;
  let d = 0;
  while (i < rv.length || j < m) {
    const x = Math.min(i < rv.length ? rv[i]! : Infinity, j < m ? s[j]! : Infinity);
    while (i < rv.length && rv[i] === x) cumRef += rc[i++]!;
    while (j < m && s[j] === x) j++;
    const diff = Math.abs(cumRef / n - j / m);
    if (diff > d) d = diff;
  }
  return ksPValue(d, n, m);
}

/** Normalized Wasserstein: ∫|F_ref − F_cur| dx over the merged values, over the reference's std (≥ 0.001). */
export function wassersteinFromProfile(ref: NumericColumnProfile, cur: SortedSample): number {
  const rv = ref.values;
  const rc = ref.counts;
  const s = cur.sorted;
  const n = ref.count;
  const m = s.length;
  let i = 0;
  let j = 0;
  let cumRef = 0;
  let total = 0;
  let prevX = NaN;
  let prevDiff = 0;
  while (i < rv.length || j < m) {
    const x = Math.min(i < rv.length ? rv[i]! : Infinity, j < m ? s[j]! : Infinity);
    while (i < rv.length && rv[i] === x) cumRef += rc[i++]!;
    while (j < m && s[j] === x) j++;
    if (!Number.isNaN(prevX)) total += prevDiff * (x - prevX);
    prevX = x;
    prevDiff = Math.abs(cumRef / n - j / m);
  }
  return total / Math.max(ref.std, 0.001);
}

/** Bins as Evidently's get_binned_data, from the profile: Sturges over both sides when the reference has > 20 distinct values. */
export function binnedFromProfile(ref: NumericColumnProfile, cur: SortedSample, fillZeroes: boolean): Binned {
  const m = cur.sorted.length;
  if (ref.distinct > 20) {
    const lo = Math.min(ref.min, cur.sorted[0]!);
    const hi = Math.max(ref.max, cur.sorted[m - 1]!);
    const edges = sturgesEdgesOf(lo, hi, ref.count + m);
    const refCounts = weightedHistogram(ref.values, ref.counts, edges);
    const shares = { reference: refCounts.map((c) => c / ref.count), current: histogram(cur.sorted, edges).map((c) => c / m), edges };
    return fillZeroes ? { ...shares, reference: fillZeroShares(shares.reference), current: fillZeroShares(shares.current) } : shares;
  }
  return binnedCounts(countsMap(ref.values, ref.counts), countsMap(cur.values, cur.counts), ref.count, m, fillZeroes);
}

function weightedHistogram(values: readonly number[], counts: readonly number[], edges: readonly number[]): number[] {
  const out = new Array<number>(edges.length - 1).fill(0);
  // Bin each distinct value once with the same rule as `histogram`, then weight it.
  const bins = histogramIndex(values, edges);
  for (let i = 0; i < values.length; i++) if (bins[i]! >= 0) out[bins[i]!]! += counts[i]!;
  return out;
}

function histogramIndex(values: readonly number[], edges: readonly number[]): number[] {
  return values.map((v) => {
    const one = histogram([v], edges);
    return one.indexOf(1);
  });
}

export const countsMap = (keys: readonly Value[], counts: readonly number[]): Map<Value, number> => new Map(keys.map((k, i) => [k, counts[i]!]));

/** One bin per value seen on either side. */
export function binnedCounts(ref: Map<Value, number>, cur: Map<Value, number>, n: number, m: number, fillZeroes: boolean): Binned {
  const keys = [...new Set([...ref.keys(), ...cur.keys()])];
  const r = keys.map((k) => (ref.get(k) ?? 0) / n);
  const c = keys.map((k) => (cur.get(k) ?? 0) / m);
  return fillZeroes ? { reference: fillZeroShares(r), current: fillZeroShares(c), edges: null } : { reference: r, current: c, edges: null };
}

/** Evidently's chi-square from counts: current observed against reference scaled to the current size. */
export function chiSquareFromCounts(ref: Map<Value, number>, cur: Map<Value, number>, n: number, m: number): number {
  const keys = new Set([...ref.keys(), ...cur.keys()]);
  let statistic = 0;
  for (const k of keys) {
    const observed = cur.get(k) ?? 0;
    const expected = ((ref.get(k) ?? 0) * m) / n;
    statistic += expected === 0 ? (observed === 0 ? 0 : Infinity) : (observed - expected) ** 2 / expected;
  }
  return keys.size < 2 ? 1 : chiSquareSf(statistic, keys.size - 1);
}

/** Evidently's two-proportion z-test from counts, on the share of the first (sorted as text) category. */
export function zTestFromCounts(ref: Map<Value, number>, cur: Map<Value, number>, n: number, m: number): number {
  const keys = [...new Set([...ref.keys(), ...cur.keys()])].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  if (keys.length === 1) return 1;
  const key = keys[0]!;
  const p1 = (n - (ref.get(key) ?? 0)) / n;
  const p2 = (m - (cur.get(key) ?? 0)) / m;
  const pooled = (p1 * n + p2 * m) / (n + m);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m));
  return se === 0 ? 1 : twoSidedNormalP((p1 - p2) / se);
}
