import { invalidArgument } from '../../core/errors.js';

const sameLength = (a: ArrayLike<unknown>, b: ArrayLike<unknown>) => {
  if (a.length !== b.length) throw invalidArgument(`Metric inputs differ in length (${a.length} vs ${b.length}).`);
  if (a.length === 0) throw invalidArgument('Metric inputs are empty.');
};

/** Share of predictions equal to the truth. */
export function accuracy<T>(actual: ArrayLike<T>, predicted: ArrayLike<T>): number {
  sameLength(actual, predicted);
  let ok = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) ok++;
  return ok / actual.length;
}

/**
 * Binary ROC AUC from scores (higher = more positive): the Mann-Whitney statistic with tied scores
 * counted half, equal to scikit-learn's roc_auc_score.
 */
export function rocAuc(positive: ArrayLike<boolean | number>, score: ArrayLike<number>): number {
  sameLength(positive, score);
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let nPos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (positive[order[t]]) {
      nPos++;
      rankSumPos += avgRank;
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) throw invalidArgument('ROC AUC needs both positive and negative examples.');
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Mean log loss. `proba` is n × K row-major and `actual` the class index per row; probabilities are
 * clipped to [1e-15, 1 - 1e-15] as scikit-learn does.
 */
export function logLoss(actual: ArrayLike<number>, proba: ArrayLike<number>, nClasses: number): number {
  if (proba.length !== actual.length * nClasses) throw invalidArgument(`Log loss needs ${actual.length} × ${nClasses} probabilities, got ${proba.length}.`);
  sameLength(actual, actual);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s -= Math.log(Math.min(1 - 1e-15, Math.max(1e-15, proba[i * nClasses + actual[i]])));
  return s / actual.length;
}

export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  sameLength(actual, predicted);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i] - predicted[i]) ** 2;
  return Math.sqrt(s / actual.length);
}

/** Coefficient of determination: 1 − SSres/SStot (1 for perfect, 0 for the mean, may be negative). */
export function r2(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  sameLength(actual, predicted);
  let mean = 0;
  for (let i = 0; i < actual.length; i++) mean += actual[i];
  mean /= actual.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < actual.length; i++) {
    res += (actual[i] - predicted[i]) ** 2;
    tot += (actual[i] - mean) ** 2;
  }
  if (tot === 0) throw invalidArgument('R² is undefined for a constant target.');
  return 1 - res / tot;
}
