/**
 * Binning for the distribution distances (PSI, KL, Jensen-Shannon, Hellinger), as Evidently's
 * get_binned_data: numeric columns with more than 20 distinct reference values get Sturges
 * equal-width bins over reference and current together (numpy's histogram_bin_edges 'sturges':
 * ceil(log2 n) + 1 bins, edges start + i·step with the last edge exactly the maximum; a value on an
 * edge goes to the bin on its right, the maximum to the last bin); other columns get one bin per
 * value seen in either. With `fillZeroes`, a zero share becomes min(non-zero share)/10⁶ when that
 * minimum is ≤ 0.0001, else 0.0001 (Evidently's smoothing, so logs stay finite).
 */
export type Value = number | string | boolean;

export function sturgesEdges(values: readonly number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return sturgesEdgesOf(lo, hi, values.length);
}

/** Sturges edges from the range and size alone, so a stored profile and a current window can share them. */
export function sturgesEdgesOf(lo: number, hi: number, n: number): number[] {
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const bins = Math.ceil(Math.log2(n) + 1);
  const step = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + lo);
  edges[bins] = hi;
  return edges;
}

/** Counts per bin with numpy.histogram's rule: [e_i, e_i+1), the last bin closed. */
export function histogram(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const last = edges.length - 1;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v < edges[0]! || v > edges[last]!) continue;
    let lo = 0;
    let hi = last;
    // Largest i with edges[i] <= v.
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! <= v) lo = mid;
      else hi = mid;
    }
    counts[v === edges[last] ? last - 1 : lo]!++;
  }
  return counts;
}

/** Evidently's smoothing of zero shares (see above). */
export function fillZeroShares(shares: number[]): number[] {
  const nonZero = shares.filter((s) => s !== 0);
  if (nonZero.length === 0) return shares;
  const m = Math.min(...nonZero);
  const replacement = m <= 0.0001 ? m / 1e6 : 0.0001;
  return shares.map((s) => (s === 0 ? replacement : s));
}

export interface Binned {
  reference: number[];
  current: number[];
  edges: number[] | null;
}

export function binnedShares(reference: readonly Value[], current: readonly Value[], numeric: boolean, fillZeroes: boolean): Binned {
  let ref: number[];
  let cur: number[];
  let edges: number[] | null = null;
  if (numeric && new Set(reference).size > 20) {
    edges = sturgesEdges([...(reference as number[]), ...(current as number[])]);
    ref = histogram(reference as number[], edges).map((c) => c / reference.length);
    cur = histogram(current as number[], edges).map((c) => c / current.length);
  } else {
    const keys = [...new Set([...reference, ...current])];
    const count = (xs: readonly Value[]) => {
      const m = new Map<Value, number>();
      for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
      return m;
    };
    const rc = count(reference);
    const cc = count(current);
    ref = keys.map((k) => (rc.get(k) ?? 0) / reference.length);
    cur = keys.map((k) => (cc.get(k) ?? 0) / current.length);
  }
  return fillZeroes ? { reference: fillZeroShares(ref), current: fillZeroShares(cur), edges } : { reference: ref, current: cur, edges };
}
