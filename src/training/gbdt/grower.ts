import { MISSING_BIN } from './binning.js';
import { HIST_STRIDE, SplitInfo, findBestSplit } from './split.js';
import type { Rng } from '../random.js';

/** A tree as grown on bins: node arrays (index 0 = root; feature -1 marks a leaf). */
export interface BinnedTree {
  feature: number[];
  binThreshold: number[];
  /** Per categorical split node, the bins (incl. MISSING_BIN) that go left. */
  leftBins: (Uint8Array | null)[];
  missingLeft: boolean[];
  left: number[];
  right: number[];
  /** Leaf value, learning rate already applied. */
  value: number[];
  count: number[];
  /** Row ranges of leaves in the grower's index buffer, valid until the next tree is grown. */
  leafStart: number[];
  leafEnd: number[];
}

export interface GrowerOptions {
  readonly maxLeafNodes: number | null;
  readonly maxDepth: number | null;
  readonly minSamplesLeaf: number;
  readonly l2: number;
  readonly learningRate: number;
  readonly maxFeatures: number;
}

interface Open {
  node: number;
  start: number;
  end: number;
  depth: number;
  hist: number;
  split: SplitInfo;
  G: number;
  H: number;
}

/**
 * Grows one tree best-first (always split the open leaf with the largest gain, as scikit-learn's
 * HGB and LightGBM do) on the column-major uint8 matrix. Buffers live across trees: the row index
 * array partitioned in place per node, and a pool of histograms; only the smaller child's
 * histogram is built, the sibling's is the parent's minus it.
 */
export class TreeGrower {
  readonly rows: Uint32Array;
  private readonly tmp: Uint32Array;
  /** The binned matrix again, row-major, for histogram building (see buildHist). */
  private readonly byRow: Uint8Array;
  private readonly og: Float64Array;
  private readonly oh: Float64Array;
  private readonly pool: Float64Array[] = [];
  private readonly free: number[] = [];
  private readonly order = new Int32Array(256);
  private readonly keys = new Float64Array(256);
  private readonly allowed: Uint8Array;

  constructor(
    private readonly binned: Uint8Array,
    private readonly n: number,
    private readonly nBins: Int32Array,
    private readonly categorical: Uint8Array,
    private readonly opts: GrowerOptions,
    private readonly rng: Rng,
  ) {
    this.rows = new Uint32Array(n);
    this.tmp = new Uint32Array(n);
    const F = nBins.length;
    this.byRow = new Uint8Array(n * F);
    for (let f = 0; f < F; f++) for (let r = 0; r < n; r++) this.byRow[r * F + f] = binned[f * n + r];
    this.og = new Float64Array(n);
    this.oh = new Float64Array(n);
    this.allowed = new Uint8Array(nBins.length);
  }

  /** Grows a tree on rows[0..nRows) (the caller fills them) with per-row gradients and hessians. */
  grow(nRows: number, g: Float64Array, h: Float64Array): BinnedTree {
    const t: BinnedTree = { feature: [], binThreshold: [], leftBins: [], missingLeft: [], left: [], right: [], value: [], count: [], leafStart: [], leafEnd: [] };
    const { maxLeafNodes, maxDepth } = this.opts;
    const rootHist = this.takeHist();
    let G = 0;
    let H = 0;
    this.buildHist(rootHist, 0, nRows, g, h);
    for (let i = 0; i < nRows; i++) {
      G += g[this.rows[i]];
      H += h[this.rows[i]];
    }
    const open: Open[] = [];
    const root = this.addNode(t, nRows, G, H);
    const consider = (o: Open) => {
      const canSplit = (maxDepth === null || o.depth < maxDepth) && o.end - o.start >= 2 * this.opts.minSamplesLeaf;
      if (canSplit) {
        this.pickFeatures();
        findBestSplit(this.pool[o.hist], this.nBins, this.categorical, this.allowed, o.G, o.H, o.end - o.start, { minSamplesLeaf: this.opts.minSamplesLeaf, l2: this.opts.l2 }, o.split, this.order, this.keys);
      }
      if (canSplit && o.split.feature >= 0) open.push(o);
      else this.finishLeaf(t, o);
    };
    consider({ node: root, start: 0, end: nRows, depth: 0, hist: rootHist, split: new SplitInfo(), G, H });
    let leaves = 1;
    while (open.length > 0 && (maxLeafNodes === null || leaves < maxLeafNodes)) {
      let bi = 0;
      for (let i = 1; i < open.length; i++) if (open[i].split.gain > open[bi].split.gain) bi = i;
      const o = open.splice(bi, 1)[0];
      const s = o.split;
      const mid = this.partition(o.start, o.end, s);
      const gl = s.gL;
      const hl = s.hL;
      const l = this.addNode(t, mid - o.start, gl, hl);
      const r = this.addNode(t, o.end - mid, o.G - gl, o.H - hl);
      t.feature[o.node] = s.feature;
      t.binThreshold[o.node] = s.binThreshold;
      t.leftBins[o.node] = s.categorical ? s.leftBins.slice() : null;
      t.missingLeft[o.node] = s.missingLeft;
      t.left[o.node] = l;
      t.right[o.node] = r;
      leaves++;
      // Histogram subtraction: build the smaller child's, derive the larger's in the parent's buffer.
      const leftSmaller = mid - o.start <= o.end - mid;
      const small = this.takeHist();
      if (leftSmaller) this.buildHist(small, o.start, mid, g, h);
      else this.buildHist(small, mid, o.end, g, h);
      const big = this.pool[o.hist];
      const sh = this.pool[small];
      for (let i = 0; i < big.length; i++) big[i] -= sh[i];
      const lo: Open = { node: l, start: o.start, end: mid, depth: o.depth + 1, hist: leftSmaller ? small : o.hist, split: new SplitInfo(), G: gl, H: hl };
      const ro: Open = { node: r, start: mid, end: o.end, depth: o.depth + 1, hist: leftSmaller ? o.hist : small, split: new SplitInfo(), G: o.G - gl, H: o.H - hl };
      consider(lo);
      consider(ro);
    }
    for (const o of open) this.finishLeaf(t, o);
    return t;
  }

  private addNode(t: BinnedTree, count: number, G: number, H: number): number {
    const id = t.feature.length;
    t.feature.push(-1);
    t.binThreshold.push(0);
    t.leftBins.push(null);
    t.missingLeft.push(false);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push((-G / (H + this.opts.l2)) * this.opts.learningRate);
    t.count.push(count);
    t.leafStart.push(0);
    t.leafEnd.push(0);
    return id;
  }

  private finishLeaf(t: BinnedTree, o: Open): void {
    t.leafStart[o.node] = o.start;
    t.leafEnd[o.node] = o.end;
    this.free.push(o.hist);
  }

  private pickFeatures(): void {
    const F = this.nBins.length;
    const k = Math.max(1, Math.ceil(this.opts.maxFeatures * F));
    if (k >= F) {
      this.allowed.fill(1);
      return;
    }
    this.allowed.fill(0);
    const picked = this.rng.sample(F, k);
    for (let i = 0; i < picked.length; i++) this.allowed[picked[i]] = 1;
  }

  private takeHist(): number {
    const id = this.free.pop();
    if (id !== undefined) return id;
    this.pool.push(new Float64Array(this.nBins.length * HIST_STRIDE));
    return this.pool.length - 1;
  }

  private buildHist(id: number, start: number, end: number, g: Float64Array, h: Float64Array): void {
    const hist = this.pool[id];
    hist.fill(0);
    const rows = this.rows;
    const F = this.nBins.length;
    const byRow = this.byRow;
    // Row-major pass: each row's F bins share a cache line, so a node whose rows are scattered
    // costs one miss per row rather than one per row per feature.
    for (let i = start; i < end; i++) {
      const r = rows[i];
      const gr = g[r];
      const hr = h[r];
      const ro = r * F;
      for (let f = 0, base = 0; f < F; f++, base += HIST_STRIDE) {
        const o = base + byRow[ro + f] * 3;
        hist[o] += gr;
        hist[o + 1] += hr;
        hist[o + 2]++;
      }
    }
  }

  /** Stable in-place partition of rows[start..end): left rows first; returns the boundary. */
  private partition(start: number, end: number, s: SplitInfo): number {
    const rows = this.rows;
    const tmp = this.tmp;
    const off = s.feature * this.n;
    const binned = this.binned;
    let l = start;
    let r = 0;
    if (s.categorical) {
      const lb = s.leftBins;
      for (let i = start; i < end; i++) {
        const row = rows[i];
        if (lb[binned[off + row]] === 1) rows[l++] = row;
        else tmp[r++] = row;
      }
    } else {
      const thr = s.binThreshold;
      const missLeft = s.missingLeft;
      for (let i = start; i < end; i++) {
        const row = rows[i];
        const b = binned[off + row];
        if (b === MISSING_BIN ? missLeft : b <= thr) rows[l++] = row;
        else tmp[r++] = row;
      }
    }
    rows.set(tmp.subarray(0, r), l);
    return l;
  }
}
