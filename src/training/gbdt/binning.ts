import type { Rng } from '../random.js';

/** Bin 255 of every feature holds missing values (and unseen categories), as in scikit-learn's HGB. */
export const MISSING_BIN = 255;
/** scikit-learn bins numeric features from a 200,000-row subsample; so do we. */
const BINNING_SUBSAMPLE = 200_000;

export type FeatureBins =
  | { readonly kind: 'numeric'; readonly nBins: number; readonly thresholds: Float64Array }
  | { readonly kind: 'categorical'; readonly nBins: number; readonly binOfCategory: Int32Array; readonly categoriesOfBin: readonly (readonly number[])[] };

/**
 * Numeric bin edges: midpoints between distinct values when there are few, otherwise midpoint
 * quantiles (scikit-learn's rule). Bin b holds x with thresholds[b-1] < x <= thresholds[b], so a
 * split after bin t is the raw test `x <= thresholds[t]` that prediction and ONNX use.
 */
export function numericBins(values: Float64Array, rows: Uint32Array, maxBins: number, rng: Rng): FeatureBins {
  let pick = rows;
  if (rows.length > BINNING_SUBSAMPLE) {
    const s = rng.sample(rows.length, BINNING_SUBSAMPLE);
    pick = new Uint32Array(s.length);
    for (let i = 0; i < s.length; i++) pick[i] = rows[s[i]];
  }
  const present: number[] = [];
  for (let i = 0; i < pick.length; i++) {
    const v = values[pick[i]];
    if (!Number.isNaN(v)) present.push(v);
  }
  const sorted = Float64Array.from(present).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  const thresholds: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) thresholds.push((distinct[i - 1] + distinct[i]) / 2);
  } else {
    const n = sorted.length;
    for (let q = 1; q < maxBins; q++) {
      // numpy percentile(method='midpoint'): average of the two order statistics around the rank.
      const pos = (q / maxBins) * (n - 1);
      const t = (sorted[Math.floor(pos)] + sorted[Math.ceil(pos)]) / 2;
      if (thresholds.length === 0 || t > thresholds[thresholds.length - 1]) thresholds.push(t);
    }
  }
  return { kind: 'numeric', nBins: thresholds.length + 1, thresholds: Float64Array.from(thresholds) };
}

/**
 * Categorical bins: one per category, the `maxCategories - 1` most frequent kept and the rest
 * merged into one "other" bin so rare levels neither overfit nor overflow the uint8 matrix.
 */
export function categoricalBins(codes: Float64Array, rows: Uint32Array, nCategories: number, maxCategories: number): FeatureBins {
  const counts = new Float64Array(nCategories);
  for (let i = 0; i < rows.length; i++) {
    const c = codes[rows[i]];
    if (!Number.isNaN(c)) counts[c]++;
  }
  const order = Array.from({ length: nCategories }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  const binOfCategory = new Int32Array(nCategories).fill(-1);
  const categoriesOfBin: number[][] = [];
  const overflow = nCategories > maxCategories;
  const kept = overflow ? maxCategories - 1 : nCategories;
  // Kept categories take bins in vocabulary order, so bins do not depend on tie order of counts.
  const keep = order.slice(0, kept).sort((a, b) => a - b);
  for (const c of keep) {
    binOfCategory[c] = categoriesOfBin.length;
    categoriesOfBin.push([c]);
  }
  if (overflow) {
    const other = order.slice(kept).sort((a, b) => a - b);
    for (const c of other) binOfCategory[c] = categoriesOfBin.length;
    categoriesOfBin.push(other);
  }
  return { kind: 'categorical', nBins: categoriesOfBin.length, binOfCategory, categoriesOfBin };
}

/** The uint8 binned matrix, column-major (feature f's bins at [f*n, (f+1)*n)): the hot loops read it. */
export function binMatrix(columns: readonly Float64Array[], bins: readonly FeatureBins[], n: number): Uint8Array {
  const out = new Uint8Array(columns.length * n);
  columns.forEach((col, f) => {
    const b = bins[f];
    const off = f * n;
    if (b.kind === 'categorical') {
      for (let i = 0; i < n; i++) {
        const v = col[i];
        const bin = Number.isNaN(v) ? -1 : b.binOfCategory[v];
        out[off + i] = bin < 0 ? MISSING_BIN : bin;
      }
      return;
    }
    const t = b.thresholds;
    const m = t.length;
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (Number.isNaN(v)) {
        out[off + i] = MISSING_BIN;
        continue;
      }
      let lo = 0;
      let hi = m;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (t[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      out[off + i] = lo;
    }
  });
  return out;
}
