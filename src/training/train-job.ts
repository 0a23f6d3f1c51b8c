/**
 * `gyre train` as a function: read the data (a file or a dataset version), split or take a test
 * set, fit, evaluate on the held-out rows, track it all as a run (params, metrics, the dataset
 * version read), log the model as ONNX (checked in ONNX Runtime), and optionally register it.
 */
import type { Gyre } from '../sdk/gyre.js';
import type { ColumnSchema } from '../data/entities.js';
import { DataService } from '../data/data-service.js';
import { invalidArgument } from '../core/errors.js';
import { createFrame, getColumn, selectRows } from './dataset/frame.js';
import type { Column, Frame } from './dataset/frame.js';
import { randomSplit } from './random.js';
import { fitGbdt } from './gbdt/fit.js';
import { predictProba as gbdtProba, predictValues as gbdtValues, predictClasses as gbdtClasses } from './gbdt/predict.js';
import { fitLinear } from './linear/fit.js';
import { predictLinearClasses, predictLinearProba, predictLinearValues } from './linear/predict.js';
import { accuracy, logLoss, r2, rmse, rocAuc } from './evaluation/metrics.js';
import { gbdtToOnnx } from './onnx/gbdt-to-onnx.js';
import { linearToOnnx } from './onnx/linear-to-onnx.js';
import type { ModelVersion } from '../registry/entities.js';
import { averagePrecision, confusion, precisionRecallF1 } from './evaluation/binary-metrics.js';
import { demographicParityDifference, equalizedOddsDifference, groupRates } from './evaluation/fairness.js';

/** Metric keys allow letters, digits, `_ - . / : ` and spaces (MLflow's rule); anything else becomes `_`. */
const metricPart = (s: string) => s.replace(/[^\w\-. :/]/g, '_');

/** Per-group accuracy and selection rate as `<metric>/<column>:<group>`, and the two differences. */
function fairnessMetrics(test: Frame, column: string, positive: boolean[], predicted: boolean[]): Record<string, number> {
  const col = getColumn(test, column);
  const groups = col.kind === 'categorical' ? Array.from(col.codes, (c) => (c < 0 ? '(missing)' : col.categories[c]!)) : Array.from(col.values, String);
  const rates = groupRates(groups, positive, predicted);
  const out: Record<string, number> = { dp_difference: demographicParityDifference(rates), eo_difference: equalizedOddsDifference(rates) };
  for (const r of rates) {
    out[`accuracy/${metricPart(column)}:${metricPart(r.group)}`] = r.accuracy;
    out[`selection_rate/${metricPart(column)}:${metricPart(r.group)}`] = r.selectionRate;
  }
  return out;
}

export interface TrainJob {
  data: string;
  target: string;
  test?: string;
  testShare?: number;
  model?: 'gbdt' | 'linear';
  features?: string[];
  categorical?: string[];
  params?: Record<string, number | string | boolean>;
  seed?: number;
  experiment?: string;
  register?: string;
  alias?: string;
  readOptions?: unknown;
  /** Binary classification: report per-group metrics and fairness differences for this column. */
  sensitive?: string;
  user: string;
}

export interface TrainResult {
  runId: string;
  model: 'gbdt' | 'linear';
  task: 'regression' | 'classification';
  trainRows: number;
  testRows: number;
  metrics: Record<string, number>;
  registered: ModelVersion | null;
}

/** The data service's columns as a trainer frame: numbers stay numbers (null → NaN), the rest are categories. */
function toFrame(schema: ColumnSchema[], columns: Record<string, unknown[]>): Frame {
  return createFrame(
    schema.map((c): Column => {
      const values = columns[c.name]!;
      if (c.type === 'integer' || c.type === 'number') {
        return { kind: 'numeric', name: c.name, values: Float64Array.from(values, (v) => (v === null || v === undefined ? Number.NaN : Number(v))) };
      }
      const categories: string[] = [];
      const index = new Map<string, number>();
      const codes = Int32Array.from(values, (v) => {
        if (v === null || v === undefined) return -1;
        const s = String(v);
        let i = index.get(s);
        if (i === undefined) {
          i = categories.length;
          categories.push(s);
          index.set(s, i);
        }
        return i;
      });
      return { kind: 'categorical', name: c.name, codes, categories };
    }),
  );
}

export async function runTrainJob(gyre: Gyre, job: TrainJob): Promise<TrainResult> {
  if (!(gyre.data instanceof DataService)) throw invalidArgument('gyre train reads its data locally; unset GYRE_URL / --url.', {});
  const kind = job.model ?? 'gbdt';
  if (kind !== 'gbdt' && kind !== 'linear') throw invalidArgument(`--model must be gbdt or linear, got '${kind}'.`, { field: 'model' });
  const data = gyre.data;
  const read = async (ref: string) => {
    const t = await data.readColumns(ref, { readOptions: job.readOptions });
    return { label: t.label, frame: toFrame(t.schema, t.columns) };
  };
  const all = await read(job.data);
  getColumn(all.frame, job.target); // unknown target: a clear error before anything is tracked
  let train: Frame;
  let test: Frame;
  if (job.test) {
    train = all.frame;
    test = (await read(job.test)).frame;
  } else {
    const share = job.testShare ?? 0.2;
    if (!(share > 0 && share < 1)) throw invalidArgument(`--test-share must be between 0 and 1, got ${share}.`, { field: 'testShare' });
    const split = randomSplit(all.frame.nRows, share, job.seed ?? 42);
    train = selectRows(all.frame, split.train);
    test = selectRows(all.frame, split.test);
  }
  const selection = { ...(job.features ? { features: job.features } : {}), ...(job.categorical ? { categorical: job.categorical } : {}) };
  const params = { ...(job.params ?? {}), ...(kind === 'gbdt' && job.seed !== undefined ? { seed: job.seed } : {}) };
  const started = performance.now();
  const fitted = kind === 'gbdt' ? fitGbdt(train, { target: job.target, ...selection, params: params as never }) : fitLinear(train, { target: job.target, ...selection, params: params as never });
  const fitS = (performance.now() - started) / 1000;

  const truth = getColumn(test, job.target);
  const metrics: Record<string, number> = { fit_s: fitS };
  if (fitted.task === 'regression') {
    if (truth.kind !== 'numeric') throw invalidArgument(`Target '${job.target}' is numeric in training but not in the test data.`, { target: job.target });
    const pred = kind === 'gbdt' ? gbdtValues(fitted as never, test) : predictLinearValues(fitted as never, test);
    metrics.rmse = rmse(truth.values, pred);
    metrics.r2 = r2(truth.values, pred);
    let mae = 0;
    for (let i = 0; i < pred.length; i++) mae += Math.abs(truth.values[i]! - pred[i]!);
    metrics.mae = mae / pred.length;
  } else {
    const classes = fitted.classes!;
    const labels = truth.kind === 'categorical' ? Array.from(truth.codes, (c) => (c < 0 ? '' : truth.categories[c]!)) : Array.from(truth.values, String);
    const predicted = kind === 'gbdt' ? gbdtClasses(fitted as never, test) : predictLinearClasses(fitted as never, test);
    const proba = kind === 'gbdt' ? gbdtProba(fitted as never, test) : predictLinearProba(fitted as never, test);
    metrics.accuracy = accuracy(labels, predicted);
    const index = labels.map((l) => classes.indexOf(l));
    if (index.every((i) => i >= 0)) metrics.log_loss = logLoss(index, proba, classes.length);
    if (classes.length === 2) {
      const positive = labels.map((l) => l === classes[1]);
      const p1 = Array.from({ length: test.nRows }, (_, i) => proba[2 * i + 1]!);
      const predictedPositive = predicted.map((l) => l === classes[1]);
      metrics.roc_auc = rocAuc(positive, p1);
      metrics.pr_auc = averagePrecision(positive, p1);
      Object.assign(metrics, precisionRecallF1(confusion(positive, predictedPositive)));
      if (job.sensitive) Object.assign(metrics, fairnessMetrics(test, job.sensitive, positive, predictedPositive));
    } else if (job.sensitive) {
      throw invalidArgument('--sensitive needs a binary classification target (fairness is defined on the positive class).', { field: 'sensitive' });
    }
  }

  const run = await gyre.startRun({ experiment: job.experiment ?? 'training', runName: `${kind}-${job.target}`, userId: job.user });
  try {
    if (job.data.includes('@') && !job.data.includes('/')) await run.logDatasetVersion(await gyre.data.get(job.data), 'training');
    await run.logParams({ model: kind, target: job.target, data: all.label, ...(job.test ? { test: job.test } : { test_share: job.testShare ?? 0.2, seed: job.seed ?? 42 }), ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`param.${k}`, v])) });
    await run.logMetrics(metrics);
    const onnx = kind === 'gbdt' ? gbdtToOnnx(fitted as never, `${job.target}-gbdt`) : linearToOnnx(fitted as never, `${job.target}-linear`);
    await run.logModel(onnx, {
      manifest: {
        task: fitted.task,
        inputs: fitted.features.map((f) => ({ name: f.name, type: f.kind === 'numeric' ? 'number' : 'string', tensor: f.name, ...(f.kind === 'categorical' ? { categories: [...f.categories] } : {}) })),
        metrics,
      },
    });
    await run.end();
  } catch (err) {
    await run.end('FAILED').catch(() => {});
    throw err;
  }
  const registered = job.register
    ? await gyre.models.register({ name: job.register, runId: run.id, ...(job.alias ? { alias: job.alias } : {}), description: `${kind} on ${all.label}, target ${job.target}` }, { user: job.user })
    : null;
  return { runId: run.id, model: kind, task: fitted.task, trainRows: train.nRows, testRows: test.nRows, metrics, registered };
}
