import { invalidArgument } from '../../core/errors.js';

/**
 * Ridge in closed form: centre X and y (so the intercept is not penalized), solve
 * (XcᵀXc + αI) w = Xcᵀyc by Cholesky. Exact and deterministic for the feature counts one-hot
 * tabular data gives (hundreds).
 */
export function solveRidge(X: Float64Array, y: Float64Array, n: number, D: number, alpha: number): { coef: Float64Array; intercept: number } {
  const mx = new Float64Array(D);
  let my = 0;
  for (let i = 0; i < n; i++) {
    my += y[i];
    for (let j = 0; j < D; j++) mx[j] += X[i * D + j];
  }
  my /= n;
  for (let j = 0; j < D; j++) mx[j] /= n;
  const A = new Float64Array(D * D);
  const b = new Float64Array(D);
  const xc = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) xc[j] = X[i * D + j] - mx[j];
    const yc = y[i] - my;
    for (let j = 0; j < D; j++) {
      const v = xc[j];
      if (v === 0) continue;
      b[j] += v * yc;
      const row = j * D;
      for (let k = 0; k <= j; k++) A[row + k] += v * xc[k];
    }
  }
  // A tiny ridge keeps α = 0 solvable when one-hot columns are collinear.
  for (let j = 0; j < D; j++) A[j * D + j] += alpha + 1e-10 * (1 + A[j * D + j]);
  // Cholesky, lower triangle in place.
  for (let j = 0; j < D; j++) {
    for (let k = 0; k < j; k++) A[j * D + j] -= A[j * D + k] ** 2;
    const d = A[j * D + j];
    if (!(d > 0)) throw invalidArgument('Ridge system is singular; raise alpha.', { alpha });
    A[j * D + j] = Math.sqrt(d);
    for (let i = j + 1; i < D; i++) {
      let s = A[i * D + j];
      for (let k = 0; k < j; k++) s -= A[i * D + k] * A[j * D + k];
      A[i * D + j] = s / A[j * D + j];
    }
  }
  const z = new Float64Array(D);
  for (let i = 0; i < D; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= A[i * D + k] * z[k];
    z[i] = s / A[i * D + i];
  }
  const w = new Float64Array(D);
  for (let i = D - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < D; k++) s -= A[k * D + i] * w[k];
    w[i] = s / A[i * D + i];
  }
  let intercept = my;
  for (let j = 0; j < D; j++) intercept -= w[j] * mx[j];
  return { coef: w, intercept };
}
