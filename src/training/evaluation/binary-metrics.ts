/**
 * Binary classification metrics beyond accuracy and ROC AUC, with scikit-learn's definitions:
 * precision, recall and F1 of the positive class (0 when undefined, as zero_division=0), the
 * confusion matrix, PR AUC as average precision (Σ (R_k − R_{k−1}) · P_k over descending score
 * thresholds), and a calibration curve (uniform bins, mean predicted vs observed positive share).
 */
import { invalidArgument } from '../../core/errors.js';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export function confusion(positive: ArrayLike<boolean>, predictedPositive: ArrayLike<boolean>): Confusion {
  if (positive.length !== predictedPositive.length) throw invalidArgument('Metric inputs differ in length.');
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < positive.length; i++) {
    if (predictedPositive[i]) positive[i] ? c.tp++ : c.fp++;
    else positive[i] ? c.fn++ : c.tn++;
  }
  return c;
}

export function precisionRecallF1(c: Confusion): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** scikit-learn's average_precision_score. */
export function averagePrecision(positive: ArrayLike<boolean>, score: ArrayLike<number>): number {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  let totalPos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) totalPos++;
  if (totalPos === 0) throw invalidArgument('PR AUC needs positive examples.');
  let tp = 0;
  let fp = 0;
  let lastRecall = 0;
  let ap = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    // Tied scores form one threshold.
    while (j < n && score[order[j]!] === score[order[i]!]) {
      if (positive[order[j]!]) tp++;
      else fp++;
      j++;
    }
    const recall = tp / totalPos;
    ap += (recall - lastRecall) * (tp / (tp + fp));
    lastRecall = recall;
    i = j;
  }
  return ap;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedShare: number;
}

/** Reliability curve over `bins` equal-width bins of the predicted probability; empty bins are left out. */
export function calibrationCurve(positive: ArrayLike<boolean>, probability: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const pos = new Array<number>(bins).fill(0);
  for (let i = 0; i < probability.length; i++) {
    const b = Math.min(bins - 1, Math.floor(probability[i]! * bins));
    count[b]!++;
    sumP[b]! += probability[i]!;
    if (positive[i]) pos[b]!++;
  }
  return count.flatMap((c, b) => (c === 0 ? [] : [{ lower: b / bins, upper: (b + 1) / bins, count: c, meanPredicted: sumP[b]! / c, observedShare: pos[b]! / c }]));
}
