/**
 * The drift statistics, each with Evidently's convention (docs/monitoring.md has the formulas):
 * p-value tests (KS, chi-square, z-test) drift when p < threshold; distances (normalized
 * Wasserstein, Jensen-Shannon, PSI, KL, Hellinger) when score ≥ threshold.
 */
import { binnedShares } from './binning.js';
import type { Binned, Value } from './binning.js';
import { chiSquareSf, twoSidedNormalP } from './special-functions.js';
import { ksTwoSample } from './ks-p-value.js';

const sorted = (xs: readonly number[]) => Float64Array.from(xs).sort();

/** Index of the first element > x in a sorted array (numpy searchsorted side='right'). */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** scipy.stats.wasserstein_distance: ∫|U − V| over the merged sorted values. */
export function wasserstein(u: readonly number[], v: readonly number[]): number {
  const su = sorted(u);
  const sv = sorted(v);
  const all = sorted([...u, ...v]);
  let total = 0;
  for (let i = 0; i < all.length - 1; i++) {
    const delta = all[i + 1]! - all[i]!;
    if (delta === 0) continue;
    total += Math.abs(upperBound(su, all[i]!) / su.length - upperBound(sv, all[i]!) / sv.length) * delta;
  }
  return total;
}

function populationStd(xs: readonly number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
}

/** Evidently's normalized Wasserstein: the distance in units of the reference's std (at least 0.001). */
export function wassersteinNormed(reference: readonly number[], current: readonly number[]): number {
  return wasserstein(reference, current) / Math.max(populationStd(reference), 0.001);
}

/** The two-sample Kolmogorov-Smirnov statistic D = max |F_ref − F_cur|. */
export function ksStatistic(reference: readonly number[], current: readonly number[]): number {
  const a = sorted(reference);
  const b = sorted(current);
  let d = 0;
  for (const x of [...a, ...b]) d = Math.max(d, Math.abs(upperBound(a, x) / a.length - upperBound(b, x) / b.length));
  return d;
}

/** The KS p-value as scipy's ks_2samp computes it: see ks-p-value.ts. */
export function ksPValue(d: number, n: number, m: number): number {
  return ksTwoSample(d, n, m).pValue;
}

/** Evidently's chi-square: observed current counts against reference counts scaled to the current size. */
export function chiSquare(reference: readonly Value[], current: readonly Value[]): { statistic: number; pValue: number } {
  const keys = [...new Set([...reference, ...current])];
  const count = (xs: readonly Value[], k: Value) => xs.reduce<number>((n, x) => n + (x === k ? 1 : 0), 0);
  let statistic = 0;
  for (const k of keys) {
    const observed = count(current, k);
    const expected = (count(reference, k) * current.length) / reference.length;
    // A category only in current has expected 0: infinitely unlikely under the reference (scipy: inf, p 0).
    statistic += expected === 0 ? (observed === 0 ? 0 : Infinity) : (observed - expected) ** 2 / expected;
  }
  return { statistic, pValue: keys.length < 2 ? 1 : chiSquareSf(statistic, keys.length - 1) };
}

/** Evidently's two-proportion z-test on the share of the first (sorted) category. */
export function proportionZTest(reference: readonly Value[], current: readonly Value[]): { statistic: number; pValue: number } {
  const keys = [...new Set([...reference, ...current])].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  if (keys.length === 1) return { statistic: 0, pValue: 1 };
  const key = keys[0];
  const share = (xs: readonly Value[]) => xs.reduce<number>((n, x) => n + (x === key ? 0 : 1), 0) / xs.length;
  const p1 = share(reference);
  const p2 = share(current);
  const pooled = (p1 * reference.length + p2 * current.length) / (reference.length + current.length);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / reference.length + 1 / current.length));
  if (se === 0) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / se;
  return { statistic: z, pValue: twoSidedNormalP(z) };
}

const normalize = (p: number[]) => {
  const s = p.reduce((a, b) => a + b, 0);
  return p.map((x) => x / s);
};

/** The distances on already-binned shares (reference and current aligned bin by bin), so a stored profile can use them. */
export const psiOfShares = (b: Binned): number => b.reference.reduce((s, r, i) => s + (r - b.current[i]!) * Math.log(r / b.current[i]!), 0);

export function klOfShares(b: Binned): number {
  const p = normalize(b.reference);
  const q = normalize(b.current);
  return p.reduce((s, x, i) => s + (x === 0 ? 0 : x * Math.log(x / q[i]!)), 0);
}

export function jensenShannonOfShares(b: Binned): number {
  const p = normalize(b.reference);
  const q = normalize(b.current);
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    if (p[i]! > 0) js += p[i]! * Math.log(p[i]! / m);
    if (q[i]! > 0) js += q[i]! * Math.log(q[i]! / m);
  }
  return Math.sqrt(Math.max(0, js / 2));
}

export function hellingerOfShares(b: Binned): number {
  const sum = b.reference.reduce((s, r, i) => s + (Math.sqrt(r) - Math.sqrt(b.current[i]!)) ** 2, 0);
  return Math.sqrt(sum) / Math.SQRT2;
}

/** Population stability index over smoothed bins: Σ (r − c)·ln(r/c). */
export const psi = (reference: readonly Value[], current: readonly Value[], numeric: boolean): number => psiOfShares(binnedShares(reference, current, numeric, true));

/** KL(reference ‖ current) over smoothed bins, shares renormalized as scipy.stats.entropy does. */
export const klDivergence = (reference: readonly Value[], current: readonly Value[], numeric: boolean): number => klOfShares(binnedShares(reference, current, numeric, true));

/** Jensen-Shannon distance (natural log, as scipy's jensenshannon), unsmoothed bins. */
export const jensenShannon = (reference: readonly Value[], current: readonly Value[], numeric: boolean): number => jensenShannonOfShares(binnedShares(reference, current, numeric, false));

/** Hellinger distance √(Σ(√r − √c)²)/√2, unsmoothed bins. */
export const hellinger = (reference: readonly Value[], current: readonly Value[], numeric: boolean): number => hellingerOfShares(binnedShares(reference, current, numeric, false));
