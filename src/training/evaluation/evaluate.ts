/**
 * One evaluation of predictions against the truth, whoever made the predictions: a trainer in
 * process, or a registered model's ONNX graph (the champion, scored on the challenger's held-out
 * rows so both are judged on the same data). Yields the metrics logged to the run and the curves the
 * report plots.
 */
import { invalidArgument } from '../../core/errors.js';
import { accuracy, logLoss, r2, rmse, rocAuc } from './metrics.js';
import { averagePrecision, calibrationCurve, confusion, precisionRecallF1 } from './binary-metrics.js';
import type { CalibrationBin } from './binary-metrics.js';
import { demographicParityDifference, equalizedOddsDifference, groupRates } from './fairness.js';
import type { GroupRates } from './fairness.js';
import { prCurve, rocCurve } from './curves.js';
import type { CurvePoint } from './curves.js';

export type Predictions =
  | { task: 'regression'; values: ArrayLike<number> }
  /** `proba` is rows × classes, row-major, in the order of `classes`. */
  | { task: 'classification'; classes: readonly string[]; labels: readonly string[]; proba: ArrayLike<number> };

export interface EvaluationInput {
  /** Numbers for regression, class labels (as text) for classification. */
  truth: ArrayLike<number> | readonly string[];
  predictions: Predictions;
  /** Slices: metrics per value of a sensitive attribute (binary classification). */
  sensitive?: { column: string; groups: readonly string[] };
}

export interface RegressionDetails {
  /** Up to 2,000 evenly spaced (actual, predicted) pairs: enough for a scatter, small enough to embed. */
  sample: { actual: number; predicted: number }[];
  residualHistogram: { lower: number; upper: number; count: number }[];
}

export interface ClassificationDetails {
  classes: string[];
  /** confusionMatrix[actual][predicted], in the order of `classes`. */
  confusionMatrix: number[][];
  positiveClass?: string;
  roc?: CurvePoint[];
  pr?: CurvePoint[];
  calibration?: CalibrationBin[];
}

export interface FairnessDetails {
  column: string;
  groups: GroupRates[];
  dpDifference: number;
  eoDifference: number;
}

export interface Evaluation {
  task: 'regression' | 'classification';
  rows: number;
  metrics: Record<string, number>;
  regression?: RegressionDetails;
  classification?: ClassificationDetails;
  fairness?: FairnessDetails;
}

/** Metric keys allow letters, digits, `_ - . / : ` and spaces (MLflow's rule); anything else becomes `_`. */
const metricPart = (s: string) => s.replace(/[^\w\-. :/]/g, '_');

export function evaluatePredictions(input: EvaluationInput): Evaluation {
  const n = input.truth.length;
  if (n === 0) throw invalidArgument('Cannot evaluate on zero rows: the test set is empty.', { field: 'test' });
  return input.predictions.task === 'regression'
    ? evaluateRegression(input.truth as ArrayLike<number>, input.predictions.values)
    : evaluateClassification(input.truth as readonly string[], input.predictions, input.sensitive);
}

function evaluateRegression(truth: ArrayLike<number>, predicted: ArrayLike<number>): Evaluation {
  const n = truth.length;
  let mae = 0;
  let mape = 0;
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = truth[i]! - predicted[i]!;
    residuals[i] = r;
    mae += Math.abs(r);
    // scikit-learn's mean_absolute_percentage_error: |y − ŷ| / max(|y|, ε), so a zero target cannot divide by zero.
    mape += Math.abs(r) / Math.max(Math.abs(truth[i]!), Number.EPSILON);
  }
  const step = Math.max(1, Math.ceil(n / 2000));
  const sample: RegressionDetails['sample'] = [];
  for (let i = 0; i < n; i += step) sample.push({ actual: truth[i]!, predicted: predicted[i]! });
  return {
    task: 'regression',
    rows: n,
    metrics: { rmse: rmse(truth, predicted), mae: mae / n, mape: mape / n, r2: r2(truth, predicted) },
    regression: { sample, residualHistogram: histogram(residuals, 30) },
  };
}

function evaluateClassification(truth: readonly string[], p: Extract<Predictions, { task: 'classification' }>, sensitive?: EvaluationInput['sensitive']): Evaluation {
  const n = truth.length;
  const k = p.classes.length;
  if (p.labels.length !== n || p.proba.length !== n * k) throw invalidArgument(`Predictions cover ${p.labels.length} rows but the truth has ${n}.`);
  const metrics: Record<string, number> = { accuracy: accuracy(truth, p.labels) };
  const classIndex = new Map(p.classes.map((c, i) => [c, i]));
  const index = truth.map((t) => classIndex.get(t) ?? -1);
  // A class the model never saw has no probability column, so log loss is undefined; leave it out.
  if (index.every((i) => i >= 0)) metrics.log_loss = logLoss(index, p.proba, k);
  const matrix = p.classes.map(() => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) {
    const a = index[i]!;
    const b = classIndex.get(p.labels[i]!) ?? -1;
    if (a >= 0 && b >= 0) matrix[a]![b]!++;
  }
  const details: ClassificationDetails = { classes: [...p.classes], confusionMatrix: matrix };
  const out: Evaluation = { task: 'classification', rows: n, metrics, classification: details };
  if (k !== 2) {
    if (sensitive) throw invalidArgument('--sensitive needs a binary classification target (fairness is defined on the positive class).', { field: 'sensitive' });
    return out;
  }
  // Binary: the second class (sorted, as scikit-learn) is the positive one.
  const positiveClass = p.classes[1]!;
  const positive = truth.map((t) => t === positiveClass);
  const score = Float64Array.from({ length: n }, (_, i) => p.proba[2 * i + 1]!);
  const predictedPositive = p.labels.map((l) => l === positiveClass);
  const hasBoth = positive.some(Boolean) && positive.some((x) => !x);
  if (hasBoth) {
    metrics.roc_auc = rocAuc(positive, score);
    metrics.pr_auc = averagePrecision(positive, score);
    details.roc = rocCurve(positive, score);
    details.pr = prCurve(positive, score);
  }
  Object.assign(metrics, precisionRecallF1(confusion(positive, predictedPositive)));
  details.positiveClass = positiveClass;
  details.calibration = calibrationCurve(positive, score);
  if (sensitive) {
    if (sensitive.groups.length !== n) throw invalidArgument(`The sensitive column '${sensitive.column}' has ${sensitive.groups.length} values for ${n} rows.`);
    const rates = groupRates(sensitive.groups, positive, predictedPositive);
    const fairness = { column: sensitive.column, groups: rates, dpDifference: demographicParityDifference(rates), eoDifference: equalizedOddsDifference(rates) };
    out.fairness = fairness;
    metrics.dp_difference = fairness.dpDifference;
    metrics.eo_difference = fairness.eoDifference;
    for (const r of rates) {
      metrics[`accuracy/${metricPart(sensitive.column)}:${metricPart(r.group)}`] = r.accuracy;
      metrics[`selection_rate/${metricPart(sensitive.column)}:${metricPart(r.group)}`] = r.selectionRate;
    }
  }
  return out;
}

function histogram(values: Float64Array, bins: number): RegressionDetails['residualHistogram'] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return [{ lower: lo, upper: hi, count: values.length }];
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  return counts.map((count, b) => ({ lower: lo + b * width, upper: lo + (b + 1) * width, count }));
}
