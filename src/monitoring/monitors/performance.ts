/**
 * Performance over the rows of a window whose labels have arrived: RMSE and MAE for regression;
 * accuracy, and ROC AUC for binary classifiers that output a probability. Rows without a usable
 * label or prediction are left out; `labeled_rows` says how many counted.
 */
import type { MetricPoint } from './entities.js';

const point = (metric: string, value: number): MetricPoint => ({ metric, feature: '', method: '', value });

export function regressionMetrics(predictions: readonly unknown[], labels: readonly unknown[]): MetricPoint[] {
  let n = 0;
  let se = 0;
  let ae = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    const p = predictions[i];
    if (typeof y !== 'number' || typeof p !== 'number' || Number.isNaN(y) || Number.isNaN(p)) continue;
    n++;
    se += (p - y) ** 2;
    ae += Math.abs(p - y);
  }
  return n === 0 ? [point('labeled_rows', 0)] : [point('labeled_rows', n), point('rmse', Math.sqrt(se / n)), point('mae', ae / n)];
}

export function classificationMetrics(predictions: readonly unknown[], scores: readonly (number | null)[], labels: readonly unknown[]): MetricPoint[] {
  let n = 0;
  let correct = 0;
  const scored: { score: number; label: string }[] = [];
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y === undefined || y === null) continue;
    const p = predictions[i];
    if (p === undefined || p === null) continue;
    n++;
    if (String(p) === String(y)) correct++;
    const s = scores[i];
    if (typeof s === 'number') scored.push({ score: s, label: String(y) });
  }
  if (n === 0) return [point('labeled_rows', 0)];
  const out = [point('labeled_rows', n), point('accuracy', correct / n)];
  const auc = binaryAuc(scored);
  if (auc !== null) out.push(point('auc', auc));
  return out;
}

/**
 * ROC AUC as the Mann-Whitney statistic with ties counted half; the positive class is the label
 * sorting last as text (e.g. '1' over '0', '>50K' over '<=50K'). Null unless exactly two classes.
 */
export function binaryAuc(rows: readonly { score: number; label: string }[]): number | null {
  const classes = [...new Set(rows.map((r) => r.label))].sort();
  if (classes.length !== 2) return null;
  const positive = classes[1];
  const sorted = [...rows].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k]!.label === positive) (rankSum += midRank), positives++;
    i = j;
  }
  const negatives = sorted.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
