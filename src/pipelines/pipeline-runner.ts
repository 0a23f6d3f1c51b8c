/**
 * Coordinates one pipeline run: walks the graph in order, decides per step whether it is skipped
 * (an upstream failed, or its condition is false), cached (same cache key as an earlier success)
 * or executed (handed to a dispatcher: in this process, or BullMQ workers), and ends the parent
 * tracking run. The store is the truth; this loop only reads and writes it.
 */
import { setMaxListeners } from 'node:events';
import { newRunId } from '../core/ids.js';
import { alreadyExists, toGyreError } from '../core/errors.js';
import type { PipelineDefinition, PipelineRun, PipelineRunStatus, StepState, StepStatus } from './entities.js';
import type { PipelineEnv, StepOutcome, StepRequest } from './step-execution.js';
import { TAG_PIPELINE_RUN } from './step-execution.js';
import { StepScheduler } from './step-scheduler.js';

/** Where executed steps run. Resolves with how the execution ended, for the coordinator to record. */
export interface StepDispatcher {
  dispatch(run: PipelineRun, req: StepRequest, cancel: AbortSignal): Promise<StepOutcome>;
  close(): Promise<void>;
}

export interface RunOptions {
  /** Rerun every step even when its cache key matches (`--force`). */
  force?: boolean;
  /** What started the run: `manual`, `schedule:<name>`, `trigger:<name>`. */
  trigger?: string;
  /** Tracking experiment of the parent run; default `pipeline:<name>`. */
  experiment?: string;
  /** Steps executing at once (default 4). */
  concurrency?: number;
  /** Called as each step reaches a final state (the CLI's live status). */
  onStep?: (state: StepState) => void;
  /**
   * The run's id, when the caller derives it (a schedule's fire time, a trigger's event): a second
   * start with the same id is ALREADY_EXISTS and runs nothing, which makes schedulers idempotent.
   */
  runId?: string;
  /** Called once the run is recorded, before any step starts. */
  onStart?: (run: PipelineRun) => void;
}

export interface PipelineRunResult {
  runId: string;
  pipeline: string;
  status: PipelineRunStatus;
  trackingRunId: string;
  error: string | null;
  steps: StepState[];
}

const CANCEL_POLL_MS = 250;

export async function runPipeline(env: PipelineEnv, dispatcher: StepDispatcher, definition: PipelineDefinition, opts: RunOptions = {}): Promise<PipelineRunResult> {
  const { tracking } = env.services;
  const runId = opts.runId ?? newRunId();
  if (opts.runId) {
    const existing = await env.store.getRun(runId).catch(() => null);
    if (existing) throw alreadyExists(`Pipeline run '${runId}' was already started (${existing.status}).`, { runId });
  }
  const experiment = await tracking.ensureExperiment(opts.experiment ?? `pipeline:${definition.name}`);
  const parent = await tracking.createRun({
    experimentId: experiment.experimentId,
    runName: `${definition.name}`,
    tags: [
      { key: TAG_PIPELINE_RUN, value: runId },
      { key: 'gyre.pipeline.name', value: definition.name },
      { key: 'gyre.pipeline.digest', value: definition.digest },
    ],
  });
  const run: PipelineRun = {
    runId, pipeline: definition.name, status: 'running', trackingRunId: parent.info.runId, definition, trigger: opts.trigger ?? 'manual', force: opts.force === true, cancelRequested: false, error: null, createdAt: Date.now(), endedAt: null,
  };
  try {
    await env.store.createRun(run, definition.steps.map((s) => pendingState(runId, s.name)));
  } catch (err) {
    // Lost a race for a derived run id: the winner's run is the one; ours never started.
    await tracking.endRun(run.trackingRunId, 'KILLED');
    throw err;
  }
  opts.onStart?.(run);
  return coordinate(env, dispatcher, run, opts);
}

function pendingState(runId: string, step: string): StepState {
  return { runId, step, status: 'pending', attempt: 0, cacheKey: null, trackingRunId: null, cachedFromRunId: null, outputs: [], inputDigests: {}, error: null, worker: null, startedAt: null, endedAt: null };
}

async function coordinate(env: PipelineEnv, dispatcher: StepDispatcher, run: PipelineRun, opts: RunOptions): Promise<PipelineRunResult> {
  const cancel = new AbortController();
  // Every running step listens on this one signal.
  setMaxListeners(0, cancel.signal);
  const poll = setInterval(() => {
    env.store.isCancelRequested(run.runId).then((yes) => yes && cancel.abort(), () => {});
  }, CANCEL_POLL_MS);
  poll.unref();
  let outcome: { status: Map<string, StepStatus>; errors: Map<string, string> };
  try {
    outcome = await new StepScheduler(env, dispatcher, run, opts, cancel.signal).runAll();
  } catch (err) {
    // The bookkeeping itself failed (the store refused even a step's failure): running steps are
    // told to stop, and the run is ended failed if the store takes that, rather than left running.
    cancel.abort();
    const endedAt = Date.now();
    const message = `the run could not record its steps: ${toGyreError(err).message}`;
    await env.store.finishRun(run.runId, 'failed', message, endedAt).catch(() => {});
    await env.services.tracking.endRun(run.trackingRunId, 'FAILED', endedAt).catch(() => {});
    throw err;
  } finally {
    clearInterval(poll);
  }
  const { status, errors } = outcome;
  const failed = run.definition.steps.find((s) => status.get(s.name) === 'failed');
  const final: Exclude<PipelineRunStatus, 'running'> = cancel.signal.aborted ? 'cancelled' : failed ? 'failed' : 'succeeded';
  const error = final === 'cancelled' ? 'cancelled' : failed ? `step '${failed.name}' failed: ${errors.get(failed.name) ?? 'failed'}` : null;
  const endedAt = Date.now();
  await env.store.finishRun(run.runId, final, error, endedAt);
  await env.services.tracking.endRun(run.trackingRunId, final === 'succeeded' ? 'FINISHED' : final === 'cancelled' ? 'KILLED' : 'FAILED', endedAt);
  return { runId: run.runId, pipeline: run.pipeline, status: final, trackingRunId: run.trackingRunId, error, steps: await env.store.getSteps(run.runId) };
}
