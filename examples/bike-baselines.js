// Simple, real baselines on the bike-sharing data, used by the demo until Gyre's trainers land:
// a global mean, a per-hour-and-day-type mean, and a ridge regression on one-hot calendar and
// weather features. Pure JavaScript, no dependencies.
import fs from 'node:fs';

export const FEATURES = ['season', 'mnth', 'hr', 'holiday', 'weekday', 'workingday', 'weathersit', 'temp', 'atemp', 'hum', 'windspeed'];

export function loadBikeSharing(file) {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const cols = header.split(',');
  return lines.map((line) => {
    const values = line.split(',');
    const row = {};
    cols.forEach((c, i) => (row[c] = c === 'dteday' ? values[i] : Number(values[i])));
    return row;
  });
}

/** Seeded shuffle split (mulberry32), so every demo run sees the same 80/20 split. */
export function randomSplit(rows, testShare, seed) {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const idx = rows.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const nTest = Math.round(rows.length * testShare);
  return { train: idx.slice(nTest).map((i) => rows[i]), test: idx.slice(0, nTest).map((i) => rows[i]) };
}

export function regressionMetrics(actual, predicted) {
  const n = actual.length;
  const mean = actual.reduce((s, v) => s + v, 0) / n;
  let se = 0, ae = 0, tot = 0;
  for (let i = 0; i < n; i++) {
    se += (actual[i] - predicted[i]) ** 2;
    ae += Math.abs(actual[i] - predicted[i]);
    tot += (actual[i] - mean) ** 2;
  }
  return { rmse: Math.sqrt(se / n), mae: ae / n, r2: 1 - se / tot };
}

export function fitMean(train) {
  const mean = train.reduce((s, r) => s + r.cnt, 0) / train.length;
  return { name: 'global-mean', params: {}, predict: () => mean };
}

export function fitHourDayMean(train) {
  const sums = new Map();
  for (const r of train) {
    const k = `${r.hr}:${r.workingday}`;
    const s = sums.get(k) ?? [0, 0];
    s[0] += r.cnt;
    s[1] += 1;
    sums.set(k, s);
  }
  const fallback = train.reduce((s, r) => s + r.cnt, 0) / train.length;
  return {
    name: 'hour-daytype-mean',
    params: { group_by: 'hr,workingday' },
    predict: (r) => {
      const s = sums.get(`${r.hr}:${r.workingday}`);
      return s ? s[0] / s[1] : fallback;
    },
  };
}

const ONE_HOT = { season: [1, 2, 3, 4], hr: [...Array(24).keys()], weekday: [...Array(7).keys()], weathersit: [1, 2, 3, 4], mnth: [...Array(12).keys()].map((m) => m + 1) };
const NUMERIC = ['holiday', 'workingday', 'temp', 'atemp', 'hum', 'windspeed'];

function featureVector(r) {
  const x = [1];
  for (const [col, levels] of Object.entries(ONE_HOT)) for (const level of levels) x.push(r[col] === level ? 1 : 0);
  for (const col of NUMERIC) x.push(r[col]);
  return x;
}

/** Ridge regression by the normal equations (X'X + λI) w = X'y, solved by Gaussian elimination. */
export function fitRidge(train, lambda = 1) {
  const X = train.map(featureVector);
  const p = X[0].length;
  const A = Array.from({ length: p }, () => new Float64Array(p + 1));
  for (let i = 0; i < X.length; i++) {
    const x = X[i];
    for (let j = 0; j < p; j++) {
      if (x[j] === 0) continue;
      for (let k = 0; k < p; k++) A[j][k] += x[j] * x[k];
      A[j][p] += x[j] * train[i].cnt;
    }
  }
  for (let j = 1; j < p; j++) A[j][j] += lambda;
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r][c]) > Math.abs(A[pivot][c])) pivot = r;
    [A[c], A[pivot]] = [A[pivot], A[c]];
    for (let r = 0; r < p; r++) {
      if (r === c || A[r][c] === 0) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= p; k++) A[r][k] -= f * A[c][k];
    }
  }
  const w = A.map((row, j) => row[p] / row[j]);
  return {
    name: 'ridge-onehot',
    params: { lambda, features: p - 1 },
    predict: (r) => Math.max(0, featureVector(r).reduce((s, v, j) => s + v * w[j], 0)),
  };
}
