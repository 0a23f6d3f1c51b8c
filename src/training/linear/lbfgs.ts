/**
 * Limited-memory BFGS (Nocedal & Wright, algorithm 7.4) with a backtracking Armijo line search:
 * deterministic, allocation only at start, enough for the smooth convex objectives of logistic
 * regression. `fg` writes the gradient into `grad` and returns the objective.
 */
export function lbfgs(
  fg: (w: Float64Array, grad: Float64Array) => number,
  w: Float64Array,
  opts: { maxIter: number; tol: number; memory?: number },
): { iterations: number; converged: boolean; value: number } {
  const d = w.length;
  const m = opts.memory ?? 10;
  const S = Array.from({ length: m }, () => new Float64Array(d));
  const Y = Array.from({ length: m }, () => new Float64Array(d));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  const g = new Float64Array(d);
  const gNew = new Float64Array(d);
  const dir = new Float64Array(d);
  const wNew = new Float64Array(d);
  let f = fg(w, g);
  let stored = 0;
  let head = 0;
  for (let iter = 0; iter < opts.maxIter; iter++) {
    if (maxAbs(g) <= opts.tol) return { iterations: iter, converged: true, value: f };
    // Two-loop recursion: dir = -H·g.
    for (let i = 0; i < d; i++) dir[i] = -g[i];
    for (let j = 0; j < stored; j++) {
      const k = (head - 1 - j + m) % m;
      alpha[k] = rho[k] * dot(S[k], dir);
      axpy(-alpha[k], Y[k], dir);
    }
    if (stored > 0) {
      const k = (head - 1 + m) % m;
      const gamma = dot(S[k], Y[k]) / dot(Y[k], Y[k]);
      for (let i = 0; i < d; i++) dir[i] *= gamma;
    }
    for (let j = stored - 1; j >= 0; j--) {
      const k = (head - 1 - j + m) % m;
      const beta = rho[k] * dot(Y[k], dir);
      axpy(alpha[k] - beta, S[k], dir);
    }
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      for (let i = 0; i < d; i++) dir[i] = -g[i];
      slope = -dot(g, g);
      stored = 0;
    }
    let step = stored === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let fNew = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < d; i++) wNew[i] = w[i] + step * dir[i];
      fNew = fg(wNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < f) && !(fNew <= f)) return { iterations: iter, converged: false, value: f };
    const s = S[head];
    const y = Y[head];
    for (let i = 0; i < d; i++) {
      s[i] = wNew[i] - w[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(m, stored + 1);
    }
    const relChange = Math.abs(f - fNew) / Math.max(1, Math.abs(f));
    w.set(wNew);
    g.set(gNew);
    f = fNew;
    if (relChange < 1e-12) return { iterations: iter + 1, converged: true, value: f };
  }
  return { iterations: opts.maxIter, converged: maxAbs(g) <= opts.tol, value: f };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

const maxAbs = (a: Float64Array) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};
