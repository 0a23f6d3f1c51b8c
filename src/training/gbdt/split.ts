import { MISSING_BIN } from './binning.js';

/** Histogram slots per feature: 255 value bins + the missing bin, each (gradient, hessian, count). */
export const BINS_PER_FEATURE = 256;
export const HIST_STRIDE = BINS_PER_FEATURE * 3;
/** Categories seen fewer times than this in a node go right ("other"), and smooth the sort key (LightGBM's cat_smooth, scikit-learn's MIN_CAT_SUPPORT). */
const CAT_SUPPORT = 10;
const MIN_HESSIAN = 1e-3;

export interface SplitConstraints {
  readonly minSamplesLeaf: number;
  readonly l2: number;
}

/** The best split of one node, written in place so the search allocates nothing per node. */
export class SplitInfo {
  gain = 0;
  feature = -1;
  binThreshold = 0;
  missingLeft = false;
  categorical = false;
  /** For categorical splits: leftBins[b] = 1 when bin b (including MISSING_BIN) goes left. */
  readonly leftBins = new Uint8Array(BINS_PER_FEATURE);
  gL = 0;
  hL = 0;
  cL = 0;

  reset(): void {
    this.gain = 0;
    this.feature = -1;
  }
}

const score = (g: number, h: number, l2: number) => (g * g) / (h + l2);

/**
 * Best split over all allowed features of one node's histogram. Numeric features scan the bins
 * left to right twice, missing values going right then left (the better is the learned missing
 * direction). Categorical features sort their categories by gradient/hessian ratio and scan
 * prefixes from both ends: the optimal partition for one-output losses (Fisher 1958, LightGBM).
 */
export function findBestSplit(
  hist: Float64Array,
  nBins: Int32Array,
  categorical: Uint8Array,
  allowed: Uint8Array,
  G: number,
  H: number,
  C: number,
  c: SplitConstraints,
  best: SplitInfo,
  order: Int32Array,
  keys: Float64Array,
): void {
  best.reset();
  const parent = score(G, H, c.l2);
  const min = c.minSamplesLeaf;
  for (let f = 0; f < nBins.length; f++) {
    if (!allowed[f]) continue;
    const base = f * HIST_STRIDE;
    const nb = nBins[f];
    const mb = base + MISSING_BIN * 3;
    const gm = hist[mb];
    const hm = hist[mb + 1];
    const cm = hist[mb + 2];
    if (categorical[f]) {
      let n = 0;
      for (let b = 0; b < nb; b++) {
        const o = base + b * 3;
        if (hist[o + 2] >= CAT_SUPPORT) {
          order[n] = b;
          keys[b] = hist[o] / (hist[o + 1] + CAT_SUPPORT);
          n++;
        }
      }
      if (cm >= CAT_SUPPORT) {
        order[n++] = MISSING_BIN;
        keys[MISSING_BIN] = gm / (hm + CAT_SUPPORT);
      }
      if (n < 2) continue;
      sortByKey(order, n, keys);
      const half = (n + 1) >> 1;
      for (let dir = 0; dir < 2; dir++) {
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let i = 0; i < half; i++) {
          const b = dir === 0 ? order[i] : order[n - 1 - i];
          const o = base + b * 3;
          gl += hist[o];
          hl += hist[o + 1];
          cl += hist[o + 2];
          const cr = C - cl;
          const hr = H - hl;
          if (cl < min || cr < min || hl < MIN_HESSIAN || hr < MIN_HESSIAN) continue;
          const gain = score(gl, hl, c.l2) + score(G - gl, hr, c.l2) - parent;
          if (gain > best.gain) {
            best.gain = gain;
            best.feature = f;
            best.categorical = true;
            best.gL = gl;
            best.hL = hl;
            best.cL = cl;
            best.leftBins.fill(0);
            for (let j = 0; j <= i; j++) best.leftBins[dir === 0 ? order[j] : order[n - 1 - j]] = 1;
            best.missingLeft = best.leftBins[MISSING_BIN] === 1;
            // No missing values in the node: unseen-at-training values follow the bigger child.
            if (cm === 0) best.missingLeft = cl >= cr;
          }
        }
      }
      continue;
    }
    for (let pass = 0; pass < 2; pass++) {
      // pass 0: missing go right; pass 1 (only when the node has missing values): missing go left.
      if (pass === 1 && cm === 0) break;
      let gl = pass === 1 ? gm : 0;
      let hl = pass === 1 ? hm : 0;
      let cl = pass === 1 ? cm : 0;
      for (let b = 0; b < nb - 1; b++) {
        const o = base + b * 3;
        gl += hist[o];
        hl += hist[o + 1];
        cl += hist[o + 2];
        const cr = C - cl;
        if (cl < min) continue;
        if (cr < min) break;
        const hr = H - hl;
        if (hl < MIN_HESSIAN || hr < MIN_HESSIAN) continue;
        const gain = score(gl, hl, c.l2) + score(G - gl, hr, c.l2) - parent;
        if (gain > best.gain) {
          best.gain = gain;
          best.feature = f;
          best.categorical = false;
          best.binThreshold = b;
          best.gL = gl;
          best.hL = hl;
          best.cL = cl;
          best.missingLeft = pass === 1 || (cm === 0 && cl >= cr);
        }
      }
    }
  }
}

/** Insertion sort of order[0..n) by keys, ties by bin: deterministic, and n ≤ 256. */
function sortByKey(order: Int32Array, n: number, keys: Float64Array): void {
  for (let i = 1; i < n; i++) {
    const v = order[i];
    const k = keys[v];
    let j = i - 1;
    while (j >= 0 && (keys[order[j]] > k || (keys[order[j]] === k && order[j] > v))) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = v;
  }
}
