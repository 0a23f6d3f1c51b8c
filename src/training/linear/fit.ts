import { invalidArgument } from '../../core/errors.js';
import type { Frame } from '../dataset/frame.js';
import { encodeFeatures, learnFeatures, readTarget } from '../features.js';
import type { FeatureSelection } from '../features.js';
import { num, resolveParams } from '../params.js';
import type { ParamRule } from '../params.js';
import { encodeDesign, learnEncoding } from './encoder.js';
import { lbfgs } from './lbfgs.js';
import type { LinearModel } from './model.js';
import { solveRidge } from './ridge.js';

export interface LinearParams {
  /** L2 penalty α on the coefficients (not the intercept): scikit-learn's Ridge `alpha`, LogisticRegression's `1/C`. */
  alpha: number;
  maxIter: number;
  /** Stop when the largest gradient component of the mean loss is below this. */
  tol: number;
}

export const LINEAR_PARAM_RULES: Readonly<Record<keyof LinearParams, ParamRule>> = {
  alpha: { default: 1, check: num(0, 1e12), range: 'a number ≥ 0' },
  maxIter: { default: 500, check: num(1, 1e6, { int: true }), range: 'an integer ≥ 1' },
  tol: { default: 1e-6, check: num(0, 1, { loOpen: true }), range: 'a number in (0, 1]' },
};

export interface LinearFitOptions extends FeatureSelection {
  target: string;
  task?: 'regression' | 'classification';
  params?: Partial<LinearParams>;
}

/**
 * Ridge regression (numbers) or L2-regularized logistic regression (binary, or multinomial softmax
 * for more classes), with the preprocessing in `linear/encoder.ts` as part of the model.
 *
 * @example
 * const model = fitLinear(frame, { target: 'income', params: { alpha: 1 } });
 */
export function fitLinear(frame: Frame, options: LinearFitOptions): LinearModel {
  const p = resolveParams<LinearParams>(LINEAR_PARAM_RULES, options.params as Record<string, unknown> | undefined, 'linear');
  const tcol = frame.columns.find((c) => c.name === options.target);
  const task = options.task ?? (tcol?.kind === 'categorical' ? 'classification' : 'regression');
  const { y, classes } = readTarget(frame, options.target, task);
  const features = learnFeatures(frame, options.target, options);
  const cols = encodeFeatures(frame, features);
  const n = frame.nRows;
  const { inputs, width: D, names } = learnEncoding(features, cols, n);
  const X = encodeDesign(inputs, cols, n, D);
  const base = { format: 'gyre-linear' as const, formatVersion: 1 as const, task, target: options.target, classes, features, inputs, columns: names, params: { ...p } };
  if (task === 'regression') {
    const { coef, intercept } = solveRidge(X, y, n, D, p.alpha);
    return { ...base, kind: 'ridge', coef: [Array.from(coef)], intercept: [intercept], training: { iterations: 1, converged: true } };
  }
  const K = classes!.length === 2 ? 1 : classes!.length;
  // One-hot rows are mostly zeros: the objective walks only the non-zeros (CSR), ~7× fewer on Adult.
  const { ptr, col, val } = toCsr(X, n, D);
  const w = new Float64Array(K * (D + 1));
  const z = new Float64Array(K);
  const fg = (wv: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      const a = ptr[i];
      const b = ptr[i + 1];
      for (let k = 0; k < K; k++) {
        const o = k * (D + 1);
        let s = wv[o + D];
        for (let e = a; e < b; e++) s += wv[o + col[e]] * val[e];
        z[k] = s;
      }
      if (K === 1) {
        const x = z[0];
        f += (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))) - y[i] * x;
        z[0] = 1 / (1 + Math.exp(-x)) - y[i];
      } else {
        let m = -Infinity;
        for (let k = 0; k < K; k++) m = Math.max(m, z[k]);
        let s = 0;
        for (let k = 0; k < K; k++) s += Math.exp(z[k] - m);
        f += m + Math.log(s) - z[y[i]];
        for (let k = 0; k < K; k++) z[k] = Math.exp(z[k] - m) / s - (y[i] === k ? 1 : 0);
      }
      for (let k = 0; k < K; k++) {
        const o = k * (D + 1);
        const r = z[k];
        if (r === 0) continue;
        for (let e = a; e < b; e++) grad[o + col[e]] += r * val[e];
        grad[o + D] += r;
      }
    }
    // Mean loss keeps `tol` independent of n; the penalty is scaled to match α on the summed loss.
    const lam = p.alpha / n;
    f /= n;
    for (let k = 0; k < K; k++) {
      const o = k * (D + 1);
      for (let j = 0; j < D; j++) {
        grad[o + j] = grad[o + j] / n + lam * wv[o + j];
        f += 0.5 * lam * wv[o + j] * wv[o + j];
      }
      grad[o + D] /= n;
    }
    return f;
  };
  const res = lbfgs(fg, w, { maxIter: p.maxIter, tol: p.tol });
  if (!Number.isFinite(res.value)) throw invalidArgument('Logistic regression diverged; raise alpha.', { alpha: p.alpha });
  const coef = Array.from({ length: K }, (_, k) => Array.from(w.subarray(k * (D + 1), k * (D + 1) + D)));
  const intercept = Array.from({ length: K }, (_, k) => w[k * (D + 1) + D]);
  return { ...base, kind: 'logistic', coef, intercept, training: { iterations: res.iterations, converged: res.converged } };
}

function toCsr(X: Float64Array, n: number, D: number): { ptr: Uint32Array; col: Uint32Array; val: Float64Array } {
  let nnz = 0;
  for (let i = 0; i < X.length; i++) if (X[i] !== 0) nnz++;
  const ptr = new Uint32Array(n + 1);
  const col = new Uint32Array(nnz);
  const val = new Float64Array(nnz);
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) {
      const v = X[i * D + j];
      if (v !== 0) {
        col[e] = j;
        val[e++] = v;
      }
    }
    ptr[i + 1] = e;
  }
  return { ptr, col, val };
}
