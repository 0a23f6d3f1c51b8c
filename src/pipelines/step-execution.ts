/**
 * Executes one step, wherever it runs (in the coordinating process or on a `gyre worker`): claim it,
 * open its nested tracking run, run it with retries, backoff and timeout, store its outputs and log,
 * index it in the cache. A redelivered step (its worker died) supersedes the dead attempt's tracking
 * run, so tracking ends with exactly one successful run per step.
 */
import path from 'node:path';
import { GyreError } from '../core/errors.js';
import { TAG_PARENT_RUN_ID } from '../tracking/entities.js';
import type { Services } from '../services.js';
import type { OutputArtifact, PipelineRun, StepDefinition, StepState } from './entities.js';
import type { PipelineStore } from './pipeline-store.js';
import type { StepFunction } from './define-pipeline.js';
import { putPath, putValue, readValue, restorePath } from './step-outputs.js';
import { runShellCommand } from './shell-command.js';
import { GATE_OUTPUT } from './yaml-pipeline.js';
import { StepLog } from './step-log.js';

export interface PipelineEnv {
  services: Services;
  store: PipelineStore;
  /** Name of this process in step states (`host:pid`). */
  worker: string;
  /** Step functions of a run's pipeline (defined in this process, or imported from its module). */
  functionsFor(run: PipelineRun): Promise<ReadonlyMap<string, StepFunction>>;
}

export interface StepRequest {
  runId: string;
  step: string;
  cacheKey: string;
  inputs: Record<string, OutputArtifact[]>;
  inputDigests: Record<string, string[]>;
}

export const TAG_PIPELINE_RUN = 'gyre.pipeline.run';
export const TAG_PIPELINE_STEP = 'gyre.pipeline.step';
export const STEP_LOG_ARTIFACT = 'logs/step.log';

/** Why a step stopped early: the run was cancelled (not a failure of the step). */
export class StepCancelled extends Error {}

export async function executeStep(env: PipelineEnv, run: PipelineRun, req: StepRequest, cancel: AbortSignal): Promise<StepState> {
  const step = run.definition.steps.find((s) => s.name === req.step);
  if (!step) throw new GyreError('NOT_FOUND', `Pipeline '${run.pipeline}' has no step '${req.step}'.`, { step: req.step });
  const previous = await env.store.getStep(run.runId, step.name);
  // A duplicate delivery of a finished step returns what the first one recorded.
  if (previous.status !== 'pending' && previous.status !== 'running') return previous;
  const { tracking } = env.services;
  if (previous.trackingRunId) await supersede(env, previous.trackingRunId);
  const trackingRun = await tracking.createRun({
    experimentId: await experimentOf(env, run),
    runName: step.name,
    // The parent tag set directly: the same nesting as parentRunId, without re-reading the parent run per step.
    tags: [
      { key: TAG_PARENT_RUN_ID, value: run.trackingRunId },
      { key: TAG_PIPELINE_RUN, value: run.runId },
      { key: TAG_PIPELINE_STEP, value: step.name },
      { key: 'gyre.pipeline.cache_key', value: req.cacheKey },
      { key: 'gyre.pipeline.worker', value: env.worker },
    ],
  });
  const trackingRunId = trackingRun.info.runId;
  const claimed = await env.store.updateStep(run.runId, step.name, { status: 'running', attempt: previous.attempt + 1, trackingRunId, worker: env.worker, startedAt: Date.now(), cacheKey: req.cacheKey, inputDigests: req.inputDigests }, ['pending', 'running']);
  if (!claimed) {
    await tracking.endRun(trackingRunId, 'KILLED');
    return env.store.getStep(run.runId, step.name);
  }
  const params = Object.entries(step.params).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));

  const log = new StepLog();
  let outputs: OutputArtifact[] | null = null;
  let failure: Error | null = null;
  for (let attempt = 1; attempt <= step.retry.attempts; attempt++) {
    if (attempt > 1) {
      const wait = step.retry.backoffMs * 2 ** (attempt - 2);
      log.line(`[gyre] retrying in ${wait} ms (attempt ${attempt} of ${step.retry.attempts})`);
      await sleep(wait, cancel);
    }
    try {
      if (cancel.aborted) throw new StepCancelled('cancelled');
      outputs = await withTimeout(step, cancel, (signal) => runBody(env, run, step, req, log, signal, attempt, trackingRunId));
      failure = null;
      break;
    } catch (err) {
      failure = err as Error;
      log.line(`[gyre] attempt ${attempt} failed: ${failure.message}`);
      if (failure instanceof StepCancelled || cancel.aborted) break;
    }
  }
  // A step that printed nothing has no log artifact (one artifact write fewer per no-op step).
  const logText = log.text();
  if (logText) await env.services.runArtifacts.upload(trackingRunId, STEP_LOG_ARTIFACT, logText);
  const endedAt = Date.now();
  // Params and the outputs' lineage go in one batch: each write is a commit, and commits are what a step costs.
  const tags = outputs ? [{ key: 'gyre.pipeline.outputs', value: JSON.stringify(outputs.map((o) => ({ name: o.name, digest: o.digest }))) }] : [];
  if (params.length || tags.length) await tracking.logBatch(trackingRunId, { params, tags });
  if (outputs) {
    await tracking.endRun(trackingRunId, 'FINISHED', endedAt);
    const cache = { pipeline: run.pipeline, step: step.name, cacheKey: req.cacheKey, outputs, trackingRunId, createdAt: endedAt };
    await env.store.finishStep(run.runId, step.name, { status: 'succeeded', outputs, endedAt, error: null }, cache);
  } else {
    const cancelled = cancel.aborted || failure instanceof StepCancelled;
    const error = cancelled ? 'cancelled' : (failure?.message ?? 'failed');
    await tracking.endRun(trackingRunId, cancelled ? 'KILLED' : 'FAILED', endedAt);
    await env.store.finishStep(run.runId, step.name, { status: cancelled ? 'cancelled' : 'failed', error, endedAt }, null);
  }
  return env.store.getStep(run.runId, step.name);
}

// The parent run's experiment never changes; reading it once per pipeline run saves a query per step.
const experiments = new Map<string, string>();
async function experimentOf(env: PipelineEnv, run: PipelineRun): Promise<string> {
  let id = experiments.get(run.trackingRunId);
  if (id === undefined) {
    id = (await env.services.tracking.getRun(run.trackingRunId)).info.experimentId;
    if (experiments.size > 1000) experiments.clear();
    experiments.set(run.trackingRunId, id);
  }
  return id;
}

/** The tracking run of an attempt whose worker died mid-step: marked KILLED, never FINISHED. */
async function supersede(env: PipelineEnv, trackingRunId: string): Promise<void> {
  const old = await env.services.tracking.getRun(trackingRunId).catch(() => null);
  if (old && old.info.status === 'RUNNING') {
    await env.services.tracking.setTag(trackingRunId, 'gyre.pipeline.superseded', 'true');
    await env.services.tracking.endRun(trackingRunId, 'KILLED');
  }
}

async function withTimeout<T>(step: StepDefinition, cancel: AbortSignal, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onCancel = () => controller.abort(new StepCancelled('cancelled'));
  cancel.addEventListener('abort', onCancel, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    if (step.timeoutMs === null) return;
    timer = setTimeout(() => {
      const err = new GyreError('DEADLINE_EXCEEDED', `Step '${step.name}' ran longer than its timeout of ${step.timeoutMs} ms and was stopped.`, { step: step.name, timeoutMs: step.timeoutMs });
      controller.abort(err);
      reject(err);
    }, step.timeoutMs);
  });
  const cancelled = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
  try {
    return await Promise.race([body(controller.signal), timedOut, cancelled]);
  } finally {
    clearTimeout(timer);
    cancel.removeEventListener('abort', onCancel);
    if (!controller.signal.aborted) controller.abort();
  }
}

async function runBody(env: PipelineEnv, run: PipelineRun, step: StepDefinition, req: StepRequest, log: StepLog, signal: AbortSignal, attempt: number, trackingRunId: string): Promise<OutputArtifact[]> {
  const artifacts = env.services.artifactStore;
  if (step.kind.type === 'shell') {
    const root = run.definition.root ?? '.';
    for (const [dep, outs] of Object.entries(req.inputs)) await restorePath(artifacts, outs[0]!, path.resolve(root, dep));
    const paramEnv = Object.fromEntries(Object.entries(step.params).map(([k, v]) => [`GYRE_PARAM_${k.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`, typeof v === 'string' ? v : JSON.stringify(v)]));
    const envVars = { ...process.env, ...paramEnv, GYRE_PIPELINE_RUN_ID: run.runId, GYRE_PIPELINE_STEP: step.name, GYRE_RUN_ID: trackingRunId, MLFLOW_RUN_ID: trackingRunId, GYRE_STEP_ATTEMPT: String(attempt) };
    log.line(`$ ${step.kind.cmd}`);
    const result = await runShellCommand(step.kind.cmd, path.resolve(root, step.kind.cwd), envVars, signal);
    log.append(result.log);
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new StepCancelled('cancelled');
    const passed = result.exitCode === 0;
    if (!passed && !(step.kind.gate && result.exitCode === 1)) {
      throw new GyreError('INVALID_STATE', `Step '${step.name}': command ${result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`}. See its log: gyre pipelines logs ${run.runId} ${step.name}`, { step: step.name, exitCode: result.exitCode });
    }
    const outputs: OutputArtifact[] = [];
    for (const out of step.kind.outs) outputs.push(await putPath(artifacts, out, path.resolve(root, out)));
    if (step.kind.gate) outputs.push(await putValue(artifacts, GATE_OUTPUT, passed));
    return outputs;
  }
  const fn = (await env.functionsFor(run)).get(step.name);
  if (!fn) throw new GyreError('INVALID_STATE', `No function for step '${step.name}' in this process. Define the pipeline with module: import.meta.url so workers can load it.`, { step: step.name });
  const inputs: Record<string, unknown> = {};
  for (const [name, outs] of Object.entries(req.inputs)) {
    const values = await Promise.all(outs.map((o) => readValue(artifacts, o)));
    inputs[name] = step.fanIn.includes(name) ? values : values[0];
  }
  const result = (await fn({ params: step.params, inputs, item: step.item, log: (...parts) => log.line(parts.map(String).join(' ')), signal, attempt, pipelineRunId: run.runId, trackingRunId, services: env.services })) ?? {};
  if (typeof result !== 'object' || Array.isArray(result)) throw new GyreError('INVALID_ARGUMENT', `Step '${step.name}' must return an object of its outputs (${step.outputs.join(', ') || 'none'}).`, { step: step.name });
  const returned = result as Record<string, unknown>;
  for (const key of Object.keys(returned)) {
    if (!step.outputs.includes(key)) throw new GyreError('INVALID_ARGUMENT', `Step '${step.name}' returned '${key}', which is not among its declared outputs (${step.outputs.join(', ') || 'none'}). Declare it in outputs.`, { step: step.name, output: key });
  }
  const outputs: OutputArtifact[] = [];
  for (const name of step.outputs) {
    if (!(name in returned)) throw new GyreError('INVALID_ARGUMENT', `Step '${step.name}' declares the output '${name}' but did not return it.`, { step: step.name, output: name });
    outputs.push(await putValue(artifacts, name, returned[name]));
  }
  return outputs;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
