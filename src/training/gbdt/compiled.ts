import type { GbdtModel } from './model.js';

/**
 * All trees of a model flattened into typed arrays (global node ids), with categorical sets as
 * byte masks over the feature's vocabulary: prediction then does no per-row lookups in JS arrays.
 * Built once per model object and cached.
 */
interface CompiledEnsemble {
  readonly roots: Int32Array; // per tree, in trees[iteration][output] order
  readonly output: Int32Array; // per tree
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly missingLeft: Uint8Array;
  readonly value: Float64Array;
  /** Offset of the node's category mask in `masks`, or -1 for numeric splits. */
  readonly maskAt: Int32Array;
  readonly masks: Uint8Array;
}

const cache = new WeakMap<GbdtModel, CompiledEnsemble>();

export function compile(model: GbdtModel): CompiledEnsemble {
  const hit = cache.get(model);
  if (hit) return hit;
  const trees = model.trees.flatMap((round) => round.map((t, k) => ({ t, k })));
  let nNodes = 0;
  let maskBytes = 0;
  for (const { t } of trees) {
    nNodes += t.feature.length;
    t.categories.forEach((c, i) => {
      if (c !== null) maskBytes += vocabSize(model, t.feature[i]);
    });
  }
  const c: CompiledEnsemble = {
    roots: new Int32Array(trees.length),
    output: new Int32Array(trees.length),
    feature: new Int32Array(nNodes),
    threshold: new Float64Array(nNodes),
    left: new Int32Array(nNodes),
    right: new Int32Array(nNodes),
    missingLeft: new Uint8Array(nNodes),
    value: new Float64Array(nNodes),
    maskAt: new Int32Array(nNodes).fill(-1),
    masks: new Uint8Array(maskBytes),
  };
  let base = 0;
  let maskPos = 0;
  trees.forEach(({ t, k }, ti) => {
    c.roots[ti] = base;
    c.output[ti] = k;
    for (let i = 0; i < t.feature.length; i++) {
      const g = base + i;
      c.feature[g] = t.feature[i];
      c.threshold[g] = t.threshold[i];
      c.left[g] = t.left[i] < 0 ? -1 : base + t.left[i];
      c.right[g] = t.right[i] < 0 ? -1 : base + t.right[i];
      c.missingLeft[g] = t.missingLeft[i] ? 1 : 0;
      c.value[g] = t.value[i];
      const set = t.categories[i];
      if (set !== null) {
        c.maskAt[g] = maskPos;
        for (const cat of set) c.masks[maskPos + cat] = 1;
        maskPos += vocabSize(model, t.feature[i]);
      }
    }
    base += t.feature.length;
  });
  cache.set(model, c);
  return c;
}

function vocabSize(model: GbdtModel, f: number): number {
  const info = model.features[f];
  return info.kind === 'categorical' ? info.categories.length : 0;
}

/** Adds every tree's value to `out` (n × K, pre-filled with the baseline). */
export function accumulate(c: CompiledEnsemble, cols: readonly Float64Array[], n: number, K: number, out: Float64Array): void {
  const { feature, threshold, left, right, missingLeft, value, maskAt, masks } = c;
  for (let ti = 0; ti < c.roots.length; ti++) {
    const root = c.roots[ti];
    const k = c.output[ti];
    for (let r = 0; r < n; r++) {
      let i = root;
      let f = feature[i];
      while (f >= 0) {
        const v = cols[f][r];
        let goLeft: boolean;
        if (v !== v) goLeft = missingLeft[i] === 1;
        else {
          const m = maskAt[i];
          goLeft = m < 0 ? v <= threshold[i] : masks[m + v] === 1;
        }
        i = goLeft ? left[i] : right[i];
        f = feature[i];
      }
      out[r * K + k] += value[i];
    }
  }
}
