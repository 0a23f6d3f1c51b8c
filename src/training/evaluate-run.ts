/**
 * Evaluates the model a run logged — through ONNX Runtime, as it will be served — on held-out rows,
 * beside the registered champion scored on the same rows, and writes the report to that run. The
 * held-out rows are the same ones training held out: the run's own `test` or its seeded
 * `test_share` split of the same data. This is a pipeline's `evaluate` step; `gyre train` does the
 * same in one go.
 */
import type { Gyre } from '../sdk/gyre.js';
import { DataService } from '../data/data-service.js';
import { LocalModelsApi } from '../models/models-api.js';
import { readLoggedModel } from '../models/run-models.js';
import type { GyreModelManifest } from '../models/manifest.js';
import { invalidArgument } from '../core/errors.js';
import { readTrainingData } from './train-data.js';
import { groupsOf, truthOf } from './fitted-model.js';
import { evaluatePredictions } from './evaluation/evaluate.js';
import { renderEvaluationHtml } from './evaluation/evaluation-report.js';
import type { EvaluationReport } from './evaluation/evaluation-report.js';
import { scorePackage } from './gates/score-package.js';
import { scoreChampion } from './gates/score-champion.js';

export interface EvaluateRunJob {
  runId: string;
  /** The data the run trained on (a file or dataset version) and its target. */
  data: string;
  target: string;
  /** Evaluate on this data instead of the run's seeded split. */
  test?: string;
  sensitive?: string;
  /** A registered model to score on the same rows (`NAME@ALIAS`); a missing one is no champion. */
  champion?: string;
  readOptions?: unknown;
}

export interface EvaluateRunResult {
  runId: string;
  rows: number;
  metrics: Record<string, number>;
  champion: { ref: string; version: number; metrics: Record<string, number> } | null;
}

const topLevel = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => !k.includes('/')));

export async function evaluateRun(gyre: Gyre, job: EvaluateRunJob): Promise<EvaluateRunResult> {
  if (!(gyre.data instanceof DataService) || !(gyre.models instanceof LocalModelsApi)) throw invalidArgument('Evaluation reads its data locally; unset GYRE_URL / --url.', {});
  const run = await gyre.tracking.getRun(job.runId);
  const param = (k: string) => run.data.params.find((p) => p.key === k)?.value;
  const testShare = param('test_share') === undefined ? undefined : Number(param('test_share'));
  const seed = param('seed') === undefined ? undefined : Number(param('seed'));
  const test = job.test ?? param('test');
  const data = await readTrainingData(gyre.data, { data: job.data, target: job.target, ...(test ? { test } : {}), ...(testShare !== undefined ? { testShare } : {}), ...(seed !== undefined ? { seed } : {}), readOptions: job.readOptions });
  const logged = await readLoggedModel(gyre.artifacts, job.runId);
  const manifest = logged.manifest as GyreModelManifest;
  const task = manifest.task === 'classification' ? 'classification' : 'regression';
  const sensitive = job.sensitive ? { column: job.sensitive, groups: groupsOf(data.test, job.sensitive) } : undefined;
  const evaluation = evaluatePredictions({ truth: truthOf(data.test, job.target, task), predictions: await scorePackage(logged.onnx, manifest, data.test), ...(sensitive ? { sensitive } : {}) });
  const champion = job.champion ? await scoreChampion(gyre.models, job.champion, data.test, job.target, task) : null;
  const report: EvaluationReport = {
    title: `Evaluation of run ${job.runId} through ONNX Runtime`,
    subject: { run: job.runId, target: job.target, data: data.label, 'test rows': data.test.nRows },
    challenger: evaluation,
    ...(champion ? { champion: { ref: champion.ref, version: champion.version, evaluation: champion.evaluation } } : {}),
    createdAt: new Date().toISOString(),
  };
  const target = gyre.run(job.runId);
  await target.logMetrics(Object.fromEntries(Object.entries(topLevel(evaluation.metrics)).map(([k, v]) => [`onnx_${k}`, v])));
  await target.logText('evaluation/onnx-report.json', JSON.stringify(report, null, 2));
  await target.logText('evaluation/onnx-report.html', renderEvaluationHtml(report));
  return { runId: job.runId, rows: data.test.nRows, metrics: evaluation.metrics, champion: champion ? { ref: champion.ref, version: champion.version, metrics: champion.metrics } : null };
}
