/**
 * Built-in step kinds over Gyre's own services, for the loop data → validate → train → evaluate/gate
 * → register → promote → deploy. Each returns an ordinary step (so caching, retries, conditions and
 * lineage work as for any step); their outputs are small JSON records naming what they made.
 *
 * @example
 * definePipeline({ name: 'bikes', steps: [
 *   dataAddStep({ name: 'data', dataset: 'bikes', source: 'examples/data/hour.csv' }),
 *   validateStep({ name: 'validate', data: 'data.version', suite }),
 *   trainStep({ name: 'train', data: 'data.version', after: ['validate'], job: { target: 'cnt', register: 'bike-demand' } }),
 *   promoteStep({ name: 'promote', version: 'train.registered', alias: 'champion' }),
 *   deployStep({ name: 'deploy', after: ['promote'], deployment: 'bikes', model: 'bike-demand@champion' }),
 * ]});
 *
 * Evaluate, gate and register are in model-steps.ts (evaluateStep, gateStep, registerStep); any
 * function step returning `{ passed }` also works as a gate for `when:` (docs/pipelines.md).
 */
import { invalidArgument } from '../core/errors.js';
import { gyreOver } from '../sdk/gyre.js';
import type { ReadOptions } from '../data/entities.js';
import type { ExpectationSuite } from '../data/expectations.js';
import { runTrainJob } from '../training/train-job.js';
import type { TrainJob } from '../training/train-job.js';
import { step } from './define-pipeline.js';
import type { FunctionStepSpec } from './define-pipeline.js';

type Common = { name: string; after?: string[]; when?: string; retry?: FunctionStepSpec['retry']; timeoutMs?: number };
const actor = (name: string) => ({ user: process.env.GYRE_USER || 'gyre-pipeline', reason: `pipeline step ${name}` });

/** A dataset version reference as steps pass it on: `{ ref: 'bikes@3', digest }`. */
export interface DatasetVersionOutput {
  ref: string;
  name: string;
  version: number;
  digest: string;
}

/** Adds a file (or glob) as a dataset version. Always runs (the file may have changed); the same content yields the same version. */
export function dataAddStep(o: Common & { dataset: string; source: string; readOptions?: ReadOptions }) {
  return step({
    ...o,
    outputs: ['version'],
    alwaysRun: true,
    params: { dataset: { type: 'string', default: o.dataset }, source: { type: 'string', default: o.source }, readOptions: { type: 'json', default: o.readOptions ?? null } },
    run: async ({ params, services, log }) => {
      const { version, created } = await services.data.add({ name: params.dataset, source: params.source, ...(params.readOptions ? { readOptions: params.readOptions as ReadOptions } : {}) });
      log(`${created ? 'added' : 'unchanged:'} ${version.name}@${version.version} (${version.digest}, ${version.rowCount} rows)`);
      return { version: { ref: `${version.name}@${version.version}`, name: version.name, version: version.version, digest: version.digest } satisfies DatasetVersionOutput };
    },
  });
}

/** Validates a dataset version against an expectation suite; fails the step (and stops dependents) when it does not pass, unless `failOnInvalid: false`, then `passed` gates later steps. */
export function validateStep(o: Common & { data: string; suite: ExpectationSuite; failOnInvalid?: boolean }) {
  return step({
    ...o,
    inputs: { data: o.data },
    outputs: ['passed', 'report'],
    params: { suite: { type: 'json', default: o.suite }, failOnInvalid: { type: 'boolean', default: o.failOnInvalid ?? true } },
    run: async ({ inputs, params, services, log }) => {
      const report = await services.data.validate((inputs.data as DatasetVersionOutput).ref, params.suite as ExpectationSuite);
      log(`${report.dataset.name}@${report.dataset.version}: ${report.statistics.succeeded}/${report.statistics.evaluated} expectations met`);
      if (!report.success && params.failOnInvalid) {
        throw invalidArgument(`Dataset ${report.dataset.name}@${report.dataset.version} failed validation: ${report.statistics.failed} expectation(s) failed. See the step log and the validation report.`, { failed: report.statistics.failed });
      }
      return { passed: report.success, report: { success: report.success, statistics: report.statistics, rowCount: report.rowCount } };
    },
  });
}

/** Trains with Gyre's trainers (runTrainJob) on a dataset version; registers the model when `job.register` is set. */
export function trainStep(o: Common & { data: string; job: Omit<TrainJob, 'data' | 'user'> }) {
  return step({
    ...o,
    inputs: { data: o.data },
    outputs: ['runId', 'metrics', 'registered'],
    params: { job: { type: 'json', default: o.job } },
    run: async ({ inputs, params, services, log }) => {
      const job = params.job as Omit<TrainJob, 'data' | 'user'>;
      const result = await runTrainJob(gyreOver(services), { ...job, data: (inputs.data as DatasetVersionOutput).ref, user: actor(o.name).user });
      log(`trained ${result.model} (${result.task}) on ${result.trainRows} rows, run ${result.runId}: ${JSON.stringify(result.metrics)}`);
      return { runId: result.runId, metrics: result.metrics, registered: result.registered ? { name: result.registered.name, version: result.registered.version } : null };
    },
  });
}

/** Points an alias (`champion`) at the version an upstream step registered (`{ name, version }`). */
export function promoteStep(o: Common & { version: string; alias: string }) {
  return step({
    ...o,
    inputs: { version: o.version },
    outputs: ['alias'],
    params: { alias: { type: 'string', default: o.alias } },
    run: async ({ inputs, params, services, log }) => {
      const v = inputs.version as { name: string; version: number } | null;
      if (!v) throw invalidArgument(`Step '${o.name}' has no model version to promote: the upstream step registered none (set job.register on the train step).`, { step: o.name });
      const move = await services.registry.setAlias(v.name, params.alias, v.version, actor(o.name));
      log(`${v.name}@${params.alias}: ${move.fromVersion ?? '(none)'} → ${move.toVersion}`);
      return { alias: { model: `${v.name}@${params.alias}`, version: v.version } };
    },
  });
}

/** Makes a deployment serve a model reference (`bike-demand@champion` follows the alias); creates it if missing. */
export function deployStep(o: Common & { deployment: string; model: string }) {
  return step({
    ...o,
    outputs: ['deployment'],
    // The deployment's state lives outside the pipeline; checking it is cheap and idempotent.
    alwaysRun: true,
    params: { deployment: { type: 'string', default: o.deployment }, model: { type: 'string', default: o.model } },
    run: async ({ params, services, log }) => {
      const deployments = services.serving.deployments;
      const existing = await deployments.get(params.deployment).catch(() => null);
      const follows = existing?.spec.strategy === 'single' && existing.spec.variants[0]?.model === params.model;
      if (!existing) await deployments.create(params.deployment, { model: params.model }, actor(o.name));
      else if (!follows) await deployments.replace(params.deployment, { strategy: 'single', variants: [{ name: 'stable', model: params.model, weight: 100 }] }, actor(o.name));
      log(`${params.deployment}: ${existing ? (follows ? 'already serves' : 'now serves') : 'created for'} ${params.model}`);
      return { deployment: { name: params.deployment, model: params.model } };
    },
  });
}
