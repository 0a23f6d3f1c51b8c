import type { Rng } from '../random.js';

/**
 * The early-stopping validation split: `fraction` of rows held out, stratified by class for
 * classification (as scikit-learn's HGB does), seeded. Both index arrays come back sorted.
 */
export function stratifiedHoldout(y: Float64Array, nClasses: number, fraction: number, rng: Rng): { train: Uint32Array; validation: Uint32Array } {
  const n = y.length;
  const groups: number[][] = nClasses > 0 ? Array.from({ length: nClasses }, () => []) : [[]];
  for (let i = 0; i < n; i++) groups[nClasses > 0 ? y[i] : 0].push(i);
  const isVal = new Uint8Array(n);
  for (const grp of groups) {
    const idx = Uint32Array.from(grp);
    rng.shuffle(idx);
    const take = Math.round(idx.length * fraction);
    for (let i = 0; i < take; i++) isVal[idx[i]] = 1;
  }
  let nVal = 0;
  for (let i = 0; i < n; i++) nVal += isVal[i];
  const train = new Uint32Array(n - nVal);
  const validation = new Uint32Array(nVal);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) if (isVal[i]) validation[b++] = i;
  else train[a++] = i;
  return { train, validation };
}
