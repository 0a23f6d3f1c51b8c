/**
 * An executed step's life, wherever it runs. The coordinator queues it (its next attempt and a
 * nested tracking run, SCHEDULED); an executor — the coordinating process or a `gyre worker` —
 * runs it with retries, backoff and timeout and returns how it ended; the coordinator records that
 * end (state, outputs, tracking run, cache entry in one write). Queue, start and finish are
 * group-committed (step-journal.ts), and because the coordinator records every step's end, its
 * batches gather ends from all workers at once. A redelivered step (its worker died) is queued again
 * as a new attempt that supersedes the dead one's tracking run, so tracking ends with exactly one
 * successful run per step.
 */
import { GyreError } from '../core/errors.js';
import { newRunId } from '../core/ids.js';
import { PromiseMemo } from '../core/promise-memo.js';
import { TAG_PARENT_RUN_ID } from '../tracking/entities.js';
import type { Param } from '../tracking/entities.js';
import { checkBatch } from '../tracking/validation.js';
import type { Services } from '../services.js';
import type { OutputArtifact, PipelineRun, StepDefinition, StepState } from './entities.js';
import { TERMINAL_STEP_STATUSES } from './entities.js';
import type { PipelineStore, StepFinished, StepToQueue } from './pipeline-store.js';
import type { StepFunction } from './define-pipeline.js';
import type { StepJournal } from './step-journal.js';
import { StepLog } from './step-log.js';
import { runBody, StepCancelled } from './step-body.js';

export { StepCancelled } from './step-body.js';

export interface PipelineEnv {
  services: Services;
  store: PipelineStore;
  /** This process's group-committed writes of step state. */
  journal: StepJournal;
  /** Name of this process in step states (`host:pid`). */
  worker: string;
  /** Step functions of a run's pipeline (defined in this process, or imported from its module). */
  functionsFor(run: PipelineRun): Promise<ReadonlyMap<string, StepFunction>>;
}

/** What an executor needs to run a queued attempt of a step. */
export interface StepRequest {
  runId: string;
  step: string;
  cacheKey: string;
  inputs: Record<string, OutputArtifact[]>;
  inputDigests: Record<string, string[]>;
  /** The queued attempt, and its tracking run. */
  attempt: number;
  trackingRunId: string;
}

export const TAG_PIPELINE_RUN = 'gyre.pipeline.run';
export const STEP_LOG_ARTIFACT = 'logs/step.log';

/**
 * A step that is still running after this long is recorded as running on its worker; shorter
 * steps are written once, when they end (a write fewer per step, and nobody could have seen them run).
 */
export const START_MARK_MS = 50;

type StepWork = Pick<StepRequest, 'cacheKey' | 'inputs' | 'inputDigests'>;

/** How one attempt ended, as its executor saw it; the coordinator derives what is recorded from it. */
export interface StepEnd {
  runId: string;
  step: string;
  attempt: number;
  trackingRunId: string;
  status: StepFinished['status'];
  outputs: OutputArtifact[];
  error: string | null;
  worker: string;
  startedAt: number;
  endedAt: number;
}

/**
 * How an execution ended: `ended`, for the coordinator to record (recordStepEnd); or `recorded`, a
 * state already in the store (a redelivered step that had ended, or a claim lost to another executor).
 */
export type StepOutcome = { kind: 'ended'; end: StepEnd } | { kind: 'recorded'; state: StepState };

/**
 * Coordinator side: records an execution's end — the step's state, its tracking run's end with
 * the step's params and lineage tags, the cache entry — and returns the step's final state.
 */
export async function recordStepEnd(env: PipelineEnv, run: PipelineRun, req: StepRequest, outcome: StepOutcome): Promise<StepState> {
  if (outcome.kind === 'recorded') return outcome.state;
  const { end } = outcome;
  const succeeded = end.status === 'succeeded';
  const finished: StepFinished = {
    ...end,
    params: loggableParams(stepNamed(run, end.step)),
    // The worker, outputs and cache key are the step's state (gyre pipelines show): tags repeating
    // them were most of a step's rows in the database (docs/pipelines.md, "Performance").
    tags: [],
    cache: succeeded ? { pipeline: run.pipeline, step: end.step, cacheKey: req.cacheKey, outputs: end.outputs, trackingRunId: end.trackingRunId, createdAt: end.endedAt } : null,
  };
  if (!(await env.journal.finish(finished))) return env.store.getStep(end.runId, end.step);
  return { ...end, cacheKey: req.cacheKey, cachedFromRunId: null, inputDigests: req.inputDigests };
}

/**
 * Params for the tracking run of an ended attempt, whatever its status (MLflow keeps a failed run's
 * params); none when tracking would refuse them, which failed the step on its executor (executeStep).
 */
function loggableParams(step: StepDefinition): Param[] {
  try {
    return stepParams(step);
  } catch {
    return [];
  }
}

/** A step's params as its tracking run records them; checked as tracking checks any logged param. */
function stepParams(step: StepDefinition): Param[] {
  return checkBatch({ params: Object.entries(step.params).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) })) }).params;
}

/** Coordinator side: queues the step's first attempt. Null when the step was no longer pending. */
export async function queueStep(env: PipelineEnv, run: PipelineRun, step: StepDefinition, work: StepWork): Promise<StepRequest | null> {
  const item = await queueItem(env, run, step.name, work, 0, null);
  if (!(await queueConfirmed(env, item))) return null;
  return { runId: run.runId, step: step.name, ...work, attempt: 1, trackingRunId: item.trackingRun.runId };
}

/**
 * Queues an attempt; true when it is queued. A write whose reply was lost (the connection dropped
 * after COMMIT) did happen: its error, or a retry's refusal, would otherwise fail — or, on a
 * worker, redeliver — a step that is queued with this very tracking run, so the step is read back.
 */
async function queueConfirmed(env: PipelineEnv, item: StepToQueue): Promise<boolean> {
  let failure: unknown = null;
  try {
    if (await env.journal.queue(item)) return true;
  } catch (err) {
    failure = err;
  }
  if (await env.store.getStep(item.runId, item.step).then((s) => s.trackingRunId === item.trackingRun.runId, () => false)) return true;
  if (failure) throw failure;
  return false;
}

async function queueItem(env: PipelineEnv, run: PipelineRun, step: string, work: StepWork, fromAttempt: number, supersedes: string | null): Promise<StepToQueue> {
  const experiment = await experimentOf(env, run);
  return {
    runId: run.runId,
    step,
    fromAttempt,
    cacheKey: work.cacheKey,
    inputDigests: work.inputDigests,
    supersedes,
    trackingRun: {
      runId: newRunId(),
      ...experiment,
      runName: step,
      startTime: Date.now(),
      // The parent tag set directly: the same nesting as parentRunId, without re-reading the parent
      // run per step. The pipeline run and step are the parent's gyre.pipeline.run tag and this
      // run's name; the rest of the step is its state, not repeated as tags.
      tags: [{ key: TAG_PARENT_RUN_ID, value: run.trackingRunId }],
    },
  };
}

/**
 * Executor side: runs the queued attempt in `req` and returns how it ended (nothing about the end
 * is written here but its log). `redelivered`: this executor is not the first to receive it (the
 * first died or lost its lease), so the attempt is queued anew — unless the step has already
 * ended, in which case its recorded state is returned.
 */
export async function executeStep(env: PipelineEnv, run: PipelineRun, req: StepRequest, cancel: AbortSignal, redelivered = false): Promise<StepOutcome> {
  const step = stepNamed(run, req.step);
  let { attempt, trackingRunId } = req;
  if (redelivered) {
    const previous = await env.store.getStep(run.runId, step.name);
    if (TERMINAL_STEP_STATUSES.has(previous.status)) return { kind: 'recorded', state: previous };
    const item = await queueItem(env, run, step.name, req, previous.attempt, previous.trackingRunId);
    if (!(await queueConfirmed(env, item))) return { kind: 'recorded', state: await env.store.getStep(run.runId, step.name) };
    attempt = previous.attempt + 1;
    trackingRunId = item.trackingRun.runId;
  }

  const startedAt = Date.now();
  const startMark = setTimeout(() => env.journal.start({ runId: run.runId, step: step.name, attempt, worker: env.worker, startedAt }).catch(() => {}), START_MARK_MS);
  const log = new StepLog();
  let outputs: OutputArtifact[] | null = null;
  let failure: Error | null = null;
  try {
    // Checked before the body runs: a param tracking would refuse fails the step, not its bookkeeping.
    stepParams(step);
    ({ outputs, failure } = await runWithRetries(env, run, step, req, log, cancel, trackingRunId));
  } catch (err) {
    failure = err as Error;
    log.line(`[gyre] ${failure.message}`);
  } finally {
    clearTimeout(startMark);
  }
  // A step that printed nothing has no log artifact (one artifact write fewer per no-op step).
  const logText = log.text();
  if (logText) await env.services.runArtifacts.upload(trackingRunId, STEP_LOG_ARTIFACT, logText);

  const cancelled = !outputs && (cancel.aborted || failure instanceof StepCancelled);
  const end: StepEnd = {
    runId: run.runId,
    step: step.name,
    attempt,
    trackingRunId,
    status: outputs ? 'succeeded' : cancelled ? 'cancelled' : 'failed',
    outputs: outputs ?? [],
    error: outputs ? null : cancelled ? 'cancelled' : (failure?.message ?? 'failed'),
    worker: env.worker,
    startedAt,
    endedAt: Date.now(),
  };
  return { kind: 'ended', end };
}

// Steps by name per definition: a 10,000-step fan-out would otherwise search its list per step.
const stepIndexes = new WeakMap<PipelineRun['definition'], Map<string, StepDefinition>>();

/** The run's step of that name, if it has one. */
export function findStep(run: PipelineRun, name: string): StepDefinition | undefined {
  let index = stepIndexes.get(run.definition);
  if (!index) stepIndexes.set(run.definition, (index = new Map(run.definition.steps.map((s) => [s.name, s]))));
  return index.get(name);
}

function stepNamed(run: PipelineRun, name: string): StepDefinition {
  const step = findStep(run, name);
  if (!step) throw new GyreError('NOT_FOUND', `Pipeline '${run.pipeline}' has no step '${name}'.`, { step: name });
  return step;
}

async function runWithRetries(env: PipelineEnv, run: PipelineRun, step: StepDefinition, req: StepRequest, log: StepLog, cancel: AbortSignal, trackingRunId: string): Promise<{ outputs: OutputArtifact[] | null; failure: Error | null }> {
  let failure: Error | null = null;
  for (let attempt = 1; attempt <= step.retry.attempts; attempt++) {
    if (attempt > 1) {
      const wait = step.retry.backoffMs * 2 ** (attempt - 2);
      log.line(`[gyre] retrying in ${wait} ms (attempt ${attempt} of ${step.retry.attempts})`);
      await sleep(wait, cancel);
    }
    try {
      if (cancel.aborted) throw new StepCancelled('cancelled');
      const outputs = await withTimeout(step, cancel, (signal) => runBody(env, run, step, req, log, signal, attempt, trackingRunId));
      return { outputs, failure: null };
    } catch (err) {
      failure = err as Error;
      log.line(`[gyre] attempt ${attempt} failed: ${failure.message}`);
      if (failure instanceof StepCancelled || cancel.aborted) break;
    }
  }
  return { outputs: null, failure };
}

// The parent run's experiment never changes; reading it once per pipeline run saves queries per
// step. The read is shared by the steps that ask before it returns (a run's first wave asks at once).
type Experiment = { experimentId: string; artifactLocation: string };
const experiments = new PromiseMemo<Experiment>(1000);
function experimentOf(env: PipelineEnv, run: PipelineRun): Promise<Experiment> {
  return experiments.get(run.trackingRunId, async () => {
    const experimentId = (await env.services.tracking.getRun(run.trackingRunId)).info.experimentId;
    return { experimentId, artifactLocation: (await env.services.tracking.getExperiment(experimentId)).artifactLocation };
  });
}

/**
 * Given to a body's signal once its attempt is over, so anything it left running can stop: one
 * shared reason, since abort() without one builds a DOMException with a stack trace per step.
 */
const ATTEMPT_OVER = new StepCancelled('the step attempt is over');

async function withTimeout<T>(step: StepDefinition, cancel: AbortSignal, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let stop!: (reason: unknown) => void;
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  const onCancel = () => {
    const reason = new StepCancelled('cancelled');
    controller.abort(reason);
    stop(reason);
  };
  cancel.addEventListener('abort', onCancel, { once: true });
  const timer =
    step.timeoutMs === null
      ? undefined
      : setTimeout(() => {
          const err = new GyreError('DEADLINE_EXCEEDED', `Step '${step.name}' ran longer than its timeout of ${step.timeoutMs} ms and was stopped.`, { step: step.name, timeoutMs: step.timeoutMs });
          controller.abort(err);
          stop(err);
        }, step.timeoutMs);
  try {
    return await Promise.race([body(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    cancel.removeEventListener('abort', onCancel);
    if (!controller.signal.aborted) controller.abort(ATTEMPT_OVER);
  }
}

/** Waits `ms`, or less if the signal aborts; the listener goes when the wait ends (the signal may be a whole run's). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
