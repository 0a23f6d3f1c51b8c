/**
 * `gyre train` as a function: read the data (a file or a dataset version), split or take a test
 * set, optionally search hyperparameters (each trial a nested run), fit, evaluate on the held-out
 * rows (metrics plus a JSON and HTML report), score the champion on the same rows and decide the
 * gate, log the model as ONNX (checked in ONNX Runtime), register it, and move the alias only when
 * the gate passed. Everything that can be checked is checked before anything is tracked.
 */
import os from 'node:os';
import type { Gyre } from '../sdk/gyre.js';
import { DataService } from '../data/data-service.js';
import { LocalModelsApi } from '../models/models-api.js';
import { GyreError, invalidArgument } from '../core/errors.js';
import type { ModelVersion } from '../registry/entities.js';
import type { ActiveRun } from '../sdk/active-run.js';
import { checkTestClasses, readTrainingData } from './train-data.js';
import { checkModelKind, checkParams, checkTarget, fitModel, groupsOf, truthOf } from './fitted-model.js';
import type { FittedModel, ModelKind, ParamValues } from './fitted-model.js';
import { evaluatePredictions } from './evaluation/evaluate.js';
import type { Evaluation, Predictions } from './evaluation/evaluate.js';
import type { GyreModelManifest } from '../models/manifest.js';
import { renderEvaluationHtml } from './evaluation/evaluation-report.js';
import type { EvaluationReport } from './evaluation/evaluation-report.js';
import { needsChampion, parseGateRules } from './gates/gate-rules.js';
import { decideGate } from './gates/gate-decision.js';
import type { GateDecision } from './gates/gate-decision.js';
import { scorePackage } from './gates/score-package.js';
import { scoreChampion } from './gates/score-champion.js';
import { parseSearchSpace } from './search/search-space.js';
import { checkSearchOptions, directionOf, hyperparameterSearch } from './search/hyperparameter-search.js';
import type { SearchOptions } from './search/hyperparameter-search.js';
import type { SamplerName } from './search/samplers.js';
import { randomSplit } from './random.js';
import { selectRows } from './dataset/frame.js';
import type { Frame } from './dataset/frame.js';
import { readOnnxGraph } from '../models/onnx-graph.js';
import { fitOffThread } from './fit-off-thread.js';
import { outputsFromGraph } from '../models/manifest-from-graph.js';

export interface SearchJob {
  /** The space (`learningRate=0.02..0.3:log,…`) or `default`. */
  space: string;
  method?: SamplerName;
  trials?: number;
  timeBudgetSeconds?: number;
  /** Successive halving over maxIter: true for η = 3 from 10 iterations, or explicit. */
  halving?: boolean | { eta: number; minIter: number };
  threads?: number;
  /** Objective on the validation rows; default rmse (regression) or log_loss (classification). */
  metric?: string;
}

export interface TrainJob {
  /** A file or dataset version; or give `frames` directly. */
  data?: string;
  /**
   * In-memory data instead of `data` (continuous training assembles windows itself): train on
   * `train`, evaluate and gate on `test`; `label` names the data in the run and the report.
   */
  frames?: { train: Frame; test: Frame; label: string };
  /** Extra run tags (e.g. why a retraining ran). */
  tags?: Record<string, string>;
  /** Lineage: the version this one retrains (`NAME/VERSION`), when no champion comparison sets it. */
  parentModel?: string;
  target: string;
  test?: string;
  testShare?: number;
  model?: ModelKind;
  features?: string[];
  categorical?: string[];
  params?: ParamValues;
  seed?: number;
  experiment?: string;
  register?: string;
  alias?: string;
  readOptions?: unknown;
  /** Binary classification: report per-group metrics and fairness differences for this column. */
  sensitive?: string;
  search?: SearchJob;
  /** Gate rules (`auc >= 0.9`, `rmse <= champion * 0.98`); the alias moves only when all pass. */
  gates?: string[];
  /** The model to compare with; default `<register>@<alias>` when both are given. */
  champion?: string;
  /** Fit on a worker thread (a serving process stays responsive while it trains). */
  offThread?: boolean;
  user: string;
}

export interface TrainResult {
  runId: string;
  model: ModelKind;
  task: 'regression' | 'classification';
  trainRows: number;
  testRows: number;
  params: ParamValues;
  metrics: Record<string, number>;
  search: { trials: number; metric: string; bestValue: number; bestParams: ParamValues; stoppedBy: string; seconds: number } | null;
  champion: { ref: string; version: number; metrics: Record<string, number> } | null;
  gate: GateDecision | null;
  registered: ModelVersion | null;
  /** Whether `alias` now points at the registered version. */
  promoted: boolean;
}

const topLevel = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => !k.includes('/')));

export async function runTrainJob(gyre: Gyre, job: TrainJob): Promise<TrainResult> {
  if (!(gyre.data instanceof DataService) || !(gyre.models instanceof LocalModelsApi)) throw invalidArgument('gyre train reads its data locally; unset GYRE_URL / --url.', {});
  const models = gyre.models;
  const kind = checkModelKind(job.model ?? 'gbdt');
  const rules = parseGateRules(job.gates ?? []);
  const championRef = job.champion ?? (job.register && job.alias ? `${job.register}@${job.alias}` : undefined);
  if (needsChampion(rules) && !championRef) throw invalidArgument("A gate compares with 'champion', but there is none to compare: pass --champion NAME@ALIAS, or --register with --alias.", { field: 'champion' });
  const seed = job.seed ?? 42;
  checkParams(kind, job.params ?? {});
  const search = job.search ? searchOptions(job.search, kind, seed, job.params ?? {}) : null;
  if (!job.frames && !job.data) throw invalidArgument('Give the training data: --data FILE|NAME@VERSION.', { field: 'data' });
  const data = job.frames ? { ...job.frames } : await readTrainingData(gyre.data, { ...job, data: job.data! });
  if (job.frames) checkTestClasses(data.train, data.test, job.target);
  if (search) checkTarget(data.train, job.target);
  const selection = { ...(job.features ? { features: job.features } : {}), ...(job.categorical ? { categorical: job.categorical } : {}) };
  const fixed: ParamValues = { ...(job.params ?? {}), ...(kind === 'gbdt' && job.seed !== undefined ? { seed: job.seed } : {}) };
  // Fit once before tracking anything when there is no search: bad parameters or a bad target fail clean.
  const started = performance.now();
  const fit = (params: ParamValues) => (job.offThread ? fitOffThread(kind, data.train, job.target, selection, params) : Promise.resolve(fitModel(kind, data.train, job.target, selection, params)));
  let fitted: FittedModel | null = search ? null : await fit(fixed);
  let fitS = (performance.now() - started) / 1000;

  const run = await gyre.startRun({ experiment: job.experiment ?? 'training', runName: `${kind}-${job.target}${search ? '-search' : ''}`, userId: job.user, ...(job.tags ? { tags: job.tags } : {}) });
  let params = fixed;
  let searchSummary: TrainResult['search'] = null;
  let evaluation: Evaluation;
  let champion: (EvaluationReport['champion'] & { metrics: Record<string, number> }) | null = null;
  let gate: GateDecision | null = null;
  try {
    if (job.data && job.data.includes('@') && !job.data.includes('/')) await run.logDatasetVersion(await gyre.data.get(job.data), 'training');
    if (search) {
      const outcome = await searchAndTrack(gyre, run, job, kind, data.train, selection, search);
      params = { ...fixed, ...outcome.best.params };
      searchSummary = { trials: outcome.trials.length, metric: outcome.metric, bestValue: outcome.best.result.value, bestParams: outcome.best.params, stoppedBy: outcome.stoppedBy, seconds: outcome.seconds };
      const refit = performance.now();
      fitted = await fit(params);
      fitS = (performance.now() - refit) / 1000;
    }
    const model = fitted!;
    const test = data.test;
    const sensitive = job.sensitive ? { column: job.sensitive, groups: groupsOf(test, job.sensitive) } : undefined;
    const predictions = model.predict(test);
    evaluation = evaluatePredictions({ truth: truthOf(test, job.target, model.task), predictions, ...(sensitive ? { sensitive } : {}) });
    const onnx = model.toOnnx(`${job.target}-${kind}`);
    const manifest = manifestFor(model, onnx);
    const onnxMaxAbsDiff = await checkOnnxParity(onnx, manifest, test, predictions);
    if (championRef && (rules.length > 0 || job.champion)) champion = await scoreChampion(models, championRef, test, job.target, model.task);
    if (rules.length) gate = decideGate(rules, evaluation.metrics, champion);

    const metrics = { fit_s: fitS, onnx_max_abs_diff: onnxMaxAbsDiff, ...evaluation.metrics, ...(champion ? Object.fromEntries(Object.entries(topLevel(champion.metrics)).map(([k, v]) => [`champion_${k}`, v])) : {}) };
    await run.logParams({
      model: kind,
      target: job.target,
      data: data.label,
      ...(job.frames ? {} : job.test ? { test: job.test } : { test_share: job.testShare ?? 0.2, seed }),
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`param.${k}`, String(v)])),
    });
    await run.logMetrics(metrics);
    const report: EvaluationReport = {
      title: `Evaluation: ${kind} predicting ${job.target}`,
      subject: { model: kind, target: job.target, data: data.label, 'train rows': data.train.nRows, 'test rows': test.nRows, run: run.id },
      challenger: evaluation,
      ...(champion ? { champion: { ref: champion.ref, version: champion.version, evaluation: champion.evaluation } } : {}),
      ...(gate ? { gate } : {}),
      createdAt: new Date().toISOString(),
    };
    await run.logText('evaluation/report.json', JSON.stringify(report, null, 2));
    await run.logText('evaluation/report.html', renderEvaluationHtml(report));
    if (gate) {
      await run.logText('evaluation/gate.json', JSON.stringify(gate, null, 2));
      await run.setTags({ 'gyre.gate.passed': String(gate.passed), 'gyre.gate.summary': gate.summary.slice(0, 5000) });
    }
    await run.logModel(onnx, { manifest: { ...manifest, metrics: topLevel(metrics) } });
    await run.end();
    const result: TrainResult = { runId: run.id, model: kind, task: model.task, trainRows: data.train.nRows, testRows: test.nRows, params, metrics, search: searchSummary, champion: champion ? { ref: champion.ref, version: champion.version, metrics: champion.metrics } : null, gate, registered: null, promoted: false };
    return await registerAndPromote(gyre, job, result, data.label);
  } catch (err) {
    await run.end('FAILED').catch(() => {});
    throw err;
  }
}

/** Registers the version; the alias moves only when the gate (if any) passed. The decision is tagged on the version. */
async function registerAndPromote(gyre: Gyre, job: TrainJob, result: TrainResult, dataLabel: string): Promise<TrainResult> {
  if (!job.register) return result;
  const actor = { user: job.user };
  const promote = job.alias && (!result.gate || result.gate.passed);
  const registered = await gyre.models.register(
    {
      name: job.register,
      runId: result.runId,
      ...(promote ? { alias: job.alias } : {}),
      ...(result.champion ? { parentModel: `${result.champion.ref.split('@')[0]}/${result.champion.version}` } : job.parentModel ? { parentModel: job.parentModel } : {}),
      description: `${result.model} on ${dataLabel}, target ${job.target}`,
    },
    actor,
  );
  if (result.gate) {
    await gyre.registry.setVersionTag(job.register, registered.version, 'gyre.gate.passed', String(result.gate.passed), actor);
    await gyre.registry.setVersionTag(job.register, registered.version, 'gyre.gate.summary', result.gate.summary.slice(0, 5000), actor);
  }
  return { ...result, registered, promoted: Boolean(promote) };
}

function searchOptions(s: SearchJob, kind: ModelKind, seed: number, fixed: ParamValues): SearchOptions {
  const halving = s.halving === true ? { eta: 3, minIter: 10 } : s.halving || undefined;
  const o: SearchOptions = {
    space: parseSearchSpace(s.space, kind),
    sampler: s.method ?? 'tpe',
    trials: s.trials ?? 20,
    ...(s.timeBudgetSeconds !== undefined ? { timeBudgetSeconds: s.timeBudgetSeconds } : {}),
    ...(halving ? { halving } : {}),
    threads: s.threads ?? Math.max(1, Math.min(2, os.availableParallelism())),
    seed,
    fixed: { ...fixed, ...(kind === 'gbdt' ? { seed } : {}) },
  };
  checkSearchOptions(o, kind);
  if (s.metric) directionOf(s.metric);
  return o;
}

/** Runs the search on an 80/20 split of the training rows; each trial is a nested run under `run`. */
async function searchAndTrack(gyre: Gyre, run: ActiveRun, job: TrainJob, kind: ModelKind, train: Frame, selection: object, o: SearchOptions) {
  const split = randomSplit(train.nRows, 0.2, o.seed + 1);
  const task = checkTarget(train, job.target);
  const metric = job.search!.metric ?? (task === 'regression' ? 'rmse' : 'log_loss');
  await run.logParams({ 'search.method': o.sampler, 'search.trials': o.trials, 'search.metric': metric, 'search.space': job.search!.space, 'search.threads': o.threads, 'search.halving': o.halving ? `eta=${o.halving.eta},minIter=${o.halving.minIter}` : 'off' });
  const outcome = await hyperparameterSearch({ kind, target: job.target, selection, train: selectRows(train, split.train), valid: selectRows(train, split.test), metric }, o, async (t) => {
    const child = await gyre.startRun({ experiment: job.experiment ?? 'training', runName: `trial-${t.index}`, parentRunId: run.id, userId: job.user, tags: { 'gyre.search.rung': String(t.rung) } });
    await child.logParams(Object.fromEntries(Object.entries(t.params).map(([k, v]) => [`param.${k}`, String(v)])));
    await child.logMetrics({ ...Object.fromEntries(Object.entries(t.result.metrics).map(([k, v]) => [`validation_${k}`, v])), fit_s: t.result.fitSeconds, iterations: t.result.iterations });
    if (t.result.error) await child.setTags({ 'gyre.search.error': t.result.error.slice(0, 5000) });
    await child.end(t.result.error ? 'FAILED' : 'FINISHED');
  });
  await run.logMetrics({ [`search_best_validation_${metric}`]: outcome.best.result.value, search_trials: outcome.trials.length, search_s: outcome.seconds });
  await run.setTags({ 'gyre.search.best_trial': String(outcome.best.index), 'gyre.search.stopped_by': outcome.stoppedBy });
  return outcome;
}

/**
 * Every trained model is scored once through ONNX Runtime on the test rows before it is logged: the
 * graph must answer as the trainer does (|Δ| ≤ 1e-5 on predictions or class probabilities), or
 * nothing is registered. Returns the largest difference seen.
 */
async function checkOnnxParity(onnx: Uint8Array, manifest: ReturnType<typeof manifestFor>, test: Frame, expected: Predictions): Promise<number> {
  const got = await scorePackage(onnx, { name: 'parity-check', metrics: {}, ...manifest } as unknown as GyreModelManifest, test);
  const a = expected.task === 'regression' ? expected.values : expected.proba;
  const b = got.task === 'regression' ? got.values : got.proba;
  let max = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length && max !== Infinity; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  if (!(max <= 1e-5)) throw new GyreError('INTERNAL', `The exported ONNX graph disagrees with the trainer (max |Δ| ${max}); nothing was registered. Please report this with the data's schema.`, { maxAbsDiff: max });
  return max;
}

/** The manifest: raw feature columns in, and outputs labelled with their role (and class order) for scoring and serving. */
function manifestFor(model: FittedModel, onnx: Uint8Array) {
  const classLabels = model.classes ?? undefined;
  const outputs = outputsFromGraph(readOnnxGraph(onnx)).map((o) => {
    const role = o.name === 'prediction' ? 'prediction' : o.name === 'label' ? 'label' : o.name === 'probabilities' ? 'probabilities' : 'other';
    return { ...o, role, ...(classLabels && role !== 'prediction' && role !== 'other' ? { classLabels } : {}) };
  });
  return {
    task: model.task,
    inputs: model.features.map((f) => ({ name: f.name, type: f.kind === 'numeric' ? 'number' : 'string', tensor: f.name, ...(f.kind === 'categorical' ? { categories: [...f.categories] } : {}) })),
    outputs,
  };
}
