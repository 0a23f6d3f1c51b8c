/**
 * Losses as scikit-learn's HGB defines them: squared error (gradient = raw - y, hessian 1), binary
 * log loss on the logit, and multinomial softmax with one output per class. Raw scores are laid
 * out row-major, n × K.
 */
export type LossName = 'squared_error' | 'log_loss' | 'softmax';

export interface Loss {
  readonly name: LossName;
  /** Outputs per row: 1, or the number of classes for softmax. */
  readonly k: number;
  baseline(y: Float64Array, rows: Uint32Array): number[];
  gradients(y: Float64Array, raw: Float64Array, rows: Uint32Array, g: Float64Array[], h: Float64Array[]): void;
  /** Mean loss over `rows` (early stopping compares it on the validation rows). */
  loss(y: Float64Array, raw: Float64Array, rows: Uint32Array): number;
}

const EPS = 1e-15;
export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function makeLoss(task: 'regression' | 'classification', nClasses: number): Loss {
  if (task === 'regression') return squaredError;
  return nClasses === 2 ? binaryLogLoss : softmax(nClasses);
}

const squaredError: Loss = {
  name: 'squared_error',
  k: 1,
  baseline(y, rows) {
    let s = 0;
    for (let i = 0; i < rows.length; i++) s += y[rows[i]];
    return [s / rows.length];
  },
  gradients(y, raw, rows, g, h) {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      g[0][r] = raw[r] - y[r];
      h[0][r] = 1;
    }
  },
  loss(y, raw, rows) {
    let s = 0;
    for (let i = 0; i < rows.length; i++) s += (raw[rows[i]] - y[rows[i]]) ** 2;
    return s / (2 * rows.length);
  },
};

const binaryLogLoss: Loss = {
  name: 'log_loss',
  k: 1,
  baseline(y, rows) {
    let s = 0;
    for (let i = 0; i < rows.length; i++) s += y[rows[i]];
    const p = Math.min(1 - EPS, Math.max(EPS, s / rows.length));
    return [Math.log(p / (1 - p))];
  },
  gradients(y, raw, rows, g, h) {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const p = sigmoid(raw[r]);
      g[0][r] = p - y[r];
      h[0][r] = p * (1 - p);
    }
  },
  loss(y, raw, rows) {
    let s = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      // log(1 + e^x) - y·x, computed stably.
      const x = raw[r];
      s += (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))) - y[r] * x;
    }
    return s / rows.length;
  },
};

function softmax(K: number): Loss {
  const p = new Float64Array(K);
  const probs = (raw: Float64Array, r: number) => {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, raw[r * K + k]);
    let s = 0;
    for (let k = 0; k < K; k++) s += p[k] = Math.exp(raw[r * K + k] - m);
    for (let k = 0; k < K; k++) p[k] /= s;
  };
  return {
    name: 'softmax',
    k: K,
    baseline(y, rows) {
      const c = new Float64Array(K);
      for (let i = 0; i < rows.length; i++) c[y[rows[i]]]++;
      const logs = Array.from(c, (v) => Math.log(Math.max(EPS, v / rows.length)));
      const mean = logs.reduce((a, b) => a + b, 0) / K;
      return logs.map((v) => v - mean);
    },
    gradients(y, raw, rows, g, h) {
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        probs(raw, r);
        for (let k = 0; k < K; k++) {
          g[k][r] = p[k] - (y[r] === k ? 1 : 0);
          h[k][r] = p[k] * (1 - p[k]);
        }
      }
    },
    loss(y, raw, rows) {
      let s = 0;
      for (let i = 0; i < rows.length; i++) {
        probs(raw, rows[i]);
        s -= Math.log(Math.max(EPS, p[y[rows[i]]]));
      }
      return s / rows.length;
    },
  };
}
