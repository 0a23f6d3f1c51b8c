/**
 * Coordinates one pipeline run: walks the graph in order, decides per step whether it is skipped
 * (an upstream failed, or its condition is false), cached (same cache key as an earlier success)
 * or executed (handed to a dispatcher: in this process, or BullMQ workers), and ends the parent
 * tracking run. The store is the truth; this loop only reads and writes it.
 */
import path from 'node:path';
import { setMaxListeners } from 'node:events';
import { newRunId } from '../core/ids.js';
import { alreadyExists, toGyreError } from '../core/errors.js';
import type { OutputArtifact, PipelineDefinition, PipelineRun, PipelineRunStatus, StepDefinition, StepState, StepStatus } from './entities.js';
import { TERMINAL_STEP_STATUSES } from './entities.js';
import type { PipelineEnv, StepRequest } from './step-execution.js';
import { TAG_PIPELINE_RUN } from './step-execution.js';
import { cacheKeyOf } from './cache-key.js';
import { readValue, restorePath } from './step-outputs.js';

/** Where executed steps run. Resolves once the step has ended and its state is in the store. */
export interface StepDispatcher {
  dispatch(run: PipelineRun, req: StepRequest, cancel: AbortSignal): Promise<void>;
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
  const { definition } = run;
  const status = new Map<string, StepStatus>(definition.steps.map((s) => [s.name, 'pending']));
  const outputs = new Map<string, OutputArtifact[]>();
  const errors = new Map<string, string>();
  const cancel = new AbortController();
  // Every running step listens on this one signal.
  setMaxListeners(0, cancel.signal);
  const poll = setInterval(() => {
    env.store.getRun(run.runId).then((r) => r.cancelRequested && cancel.abort(), () => {});
  }, CANCEL_POLL_MS);
  poll.unref();
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const running = new Map<string, Promise<void>>();
  const pending = [...definition.steps];

  const settle = async (step: StepDefinition, patch: Partial<StepState> & { status: StepStatus }) => {
    await env.store.updateStep(run.runId, step.name, { ...patch, endedAt: Date.now() }, ['pending']);
    record(step.name, patch.status, patch.outputs ?? [], patch.error ?? null);
  };
  const record = (name: string, s: StepStatus, outs: OutputArtifact[], error: string | null) => {
    status.set(name, s);
    outputs.set(name, outs);
    if (error) errors.set(name, error);
    if (opts.onStep) env.store.getStep(run.runId, name).then(opts.onStep, () => {});
  };

  try {
    while (pending.length > 0 || running.size > 0) {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (let i = 0; i < pending.length; i++) {
          const step = pending[i]!;
          if (!step.needs.every((n) => TERMINAL_STEP_STATUSES.has(status.get(n)!))) continue;
          if (running.size >= concurrency && !willSettleWithoutRunning(step, status, cancel.signal)) continue;
          pending.splice(i--, 1);
          progressed = true;
          if (cancel.signal.aborted) {
            await settle(step, { status: 'cancelled', error: 'the run was cancelled before this step started' });
            continue;
          }
          const blocked = step.needs.find((n) => !['succeeded', 'cached'].includes(status.get(n)!));
          if (blocked) {
            await settle(step, { status: 'skipped', error: `upstream step '${blocked}' ${status.get(blocked)}` });
            continue;
          }
          try {
            if (step.when) {
              const gate = (outputs.get(step.when.step) ?? []).find((o) => o.name === step.when!.output);
              const value = gate ? await readValue(env.services.artifactStore, gate) : false;
              if (!value) {
                await settle(step, { status: 'skipped', error: `condition ${step.when.step}.${step.when.output} is false` });
                continue;
              }
            }
            const inputs: Record<string, OutputArtifact[]> = {};
            for (const [name, refs] of Object.entries(step.inputs)) inputs[name] = refs.map((r) => (outputs.get(r.step) ?? []).find((o) => o.name === r.output)!);
            const { cacheKey, inputDigests } = cacheKeyOf(definition, step, inputs);
            const hit = run.force || step.alwaysRun ? null : await env.store.lookupCache(run.pipeline, step.name, cacheKey);
            if (hit) {
              // Shell steps' outs are checked out into the workspace, as `dvc repro` leaves them.
              if (step.kind.type === 'shell') for (const out of hit.outputs.filter((o) => o.kind !== 'value')) await restorePath(env.services.artifactStore, out, path.resolve(definition.root ?? '.', out.name));
              await settle(step, { status: 'cached', cacheKey, inputDigests, outputs: hit.outputs, cachedFromRunId: hit.trackingRunId });
              continue;
            }
            const req: StepRequest = { runId: run.runId, step: step.name, cacheKey, inputs, inputDigests };
            running.set(
              step.name,
              dispatcher
                .dispatch(run, req, cancel.signal)
                .catch(async (err) => {
                  await env.store.updateStep(run.runId, step.name, { status: 'failed', error: toGyreError(err).message, endedAt: Date.now() }, ['pending', 'running']);
                })
                .then(async () => {
                  const state = await env.store.getStep(run.runId, step.name);
                  running.delete(step.name);
                  status.set(step.name, TERMINAL_STEP_STATUSES.has(state.status) ? state.status : 'failed');
                  outputs.set(step.name, state.outputs);
                  if (state.error) errors.set(step.name, state.error);
                  opts.onStep?.(state);
                }),
            );
          } catch (err) {
            await settle(step, { status: 'failed', error: toGyreError(err).message });
          }
        }
      }
      if (running.size > 0) await Promise.race(running.values());
      else if (pending.length > 0) break;
    }
  } finally {
    clearInterval(poll);
  }
  const failed = definition.steps.find((s) => status.get(s.name) === 'failed');
  const final: Exclude<PipelineRunStatus, 'running'> = cancel.signal.aborted ? 'cancelled' : failed ? 'failed' : 'succeeded';
  const error = final === 'cancelled' ? 'cancelled' : failed ? `step '${failed.name}' failed: ${errors.get(failed.name) ?? 'failed'}` : null;
  const endedAt = Date.now();
  await env.store.finishRun(run.runId, final, error, endedAt);
  await env.services.tracking.endRun(run.trackingRunId, final === 'succeeded' ? 'FINISHED' : final === 'cancelled' ? 'KILLED' : 'FAILED', endedAt);
  return { runId: run.runId, pipeline: run.pipeline, status: final, trackingRunId: run.trackingRunId, error, steps: await env.store.getSteps(run.runId) };
}

/** Steps that will be skipped, cancelled or cached take no slot, so they are decided even when all slots are busy. */
function willSettleWithoutRunning(step: StepDefinition, status: Map<string, StepStatus>, cancel: AbortSignal): boolean {
  return cancel.aborted || step.needs.some((n) => !['succeeded', 'cached'].includes(status.get(n)!));
}
