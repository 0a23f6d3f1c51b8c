/**
 * Seeded PRNG (mulberry32): the one source of randomness of the trainers, so the same seed gives
 * the same split, the same subsamples and a byte-identical model on every machine.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** `k` distinct indices of [0, n), sorted ascending (sorted keeps memory access in row order). */
  sample(n: number, k: number): Uint32Array {
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return all.slice(0, k).sort();
  }
}

/** Seeded random train/test split of row indices; `testFraction` of rows go to test. */
export function randomSplit(nRows: number, testFraction: number, seed: number): { train: Uint32Array; test: Uint32Array } {
  const idx = new Uint32Array(nRows);
  for (let i = 0; i < nRows; i++) idx[i] = i;
  new Rng(seed).shuffle(idx);
  const nTest = Math.round(nRows * testFraction);
  return { test: idx.slice(0, nTest).sort(), train: idx.slice(nTest).sort() };
}
