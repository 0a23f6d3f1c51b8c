/**
 * Decides, step by step, what happens to each step of one pipeline run: skipped (an upstream step
 * did not succeed, or its condition is false), cancelled, cached (an earlier success had the same
 * cache key) or executed by the dispatcher, at most `concurrency` at once. Steps become ready when
 * their last need ends (a count per step), so a run of n steps costs O(n + edges), not a rescan of
 * every waiting step each time one ends.
 */
import path from 'node:path';
import { toGyreError } from '../core/errors.js';
import type { OutputArtifact, PipelineRun, StepDefinition, StepState, StepStatus } from './entities.js';
import { TERMINAL_STEP_STATUSES } from './entities.js';
import type { PipelineEnv, StepRequest } from './step-execution.js';
import { queueStep, recordStepEnd } from './step-execution.js';
import type { RunOptions, StepDispatcher } from './pipeline-runner.js';
import { cacheKeyOf } from './cache-key.js';
import { readValue, restorePath } from './step-outputs.js';

const SUCCEEDED: ReadonlySet<StepStatus> = new Set(['succeeded', 'cached']);

export class StepScheduler {
  private readonly status = new Map<string, StepStatus>();
  private readonly outputs = new Map<string, OutputArtifact[]>();
  private readonly errors = new Map<string, string>();
  private readonly unmet = new Map<string, number>();
  private readonly dependents = new Map<string, StepDefinition[]>();
  /** Ready steps that need no slot (an upstream step failed), and ready steps that do. */
  private readonly toSettle: StepDefinition[] = [];
  private readonly toRun: StepDefinition[] = [];
  private nextToRun = 0;
  private readonly running = new Set<string>();
  /**
   * Steps whose execution has ended and whose end is being recorded: they no longer hold a slot
   * (the next steps are queued while these ends are written), but their dependents wait for it.
   */
  private recording = 0;
  /** Resolves the wait in runAll when a running step ends (one waiter, not a race over every running step). */
  private wake: (() => void) | null = null;
  /** What made a step's bookkeeping throw (the store refused even the failure): runAll rethrows it. */
  private broken: { err: unknown } | null = null;
  private readonly concurrency: number;

  constructor(
    private readonly env: PipelineEnv,
    private readonly dispatcher: StepDispatcher,
    private readonly run: PipelineRun,
    private readonly opts: RunOptions,
    private readonly cancel: AbortSignal,
  ) {
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    for (const step of run.definition.steps) {
      this.status.set(step.name, 'pending');
      this.unmet.set(step.name, step.needs.length);
      for (const need of step.needs) {
        const list = this.dependents.get(need) ?? [];
        list.push(step);
        this.dependents.set(need, list);
      }
    }
    for (const step of run.definition.steps) if (step.needs.length === 0) this.toRun.push(step);
  }

  /** Runs until every step that can end has ended; returns each step's status and errors. */
  async runAll(): Promise<{ status: Map<string, StepStatus>; errors: Map<string, string> }> {
    for (;;) {
      if (this.broken) throw this.broken.err;
      const settling = this.toSettle.shift();
      if (settling) {
        await this.settleBlocked(settling);
        continue;
      }
      if (this.nextToRun < this.toRun.length && (this.running.size < this.concurrency || this.cancel.aborted)) {
        await this.start(this.toRun[this.nextToRun++]!);
        continue;
      }
      if (this.running.size === 0 && this.recording === 0) break;
      // Promise.race over the running steps would add a reaction to each of them per wait: a long
      // step would collect one per step that ends meanwhile.
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return { status: this.status, errors: this.errors };
  }

  private ended(name: string, s: StepStatus, outs: OutputArtifact[], error: string | null): void {
    this.status.set(name, s);
    this.outputs.set(name, outs);
    if (error) this.errors.set(name, error);
    for (const dependent of this.dependents.get(name) ?? []) {
      const left = this.unmet.get(dependent.name)! - 1;
      this.unmet.set(dependent.name, left);
      if (left > 0) continue;
      // Decided now, while every need's status is final: a step behind a failure takes no slot.
      if (dependent.needs.every((n) => SUCCEEDED.has(this.status.get(n)!))) this.toRun.push(dependent);
      else this.toSettle.push(dependent);
    }
  }

  /** A step that ends without running: its state is written here, then it releases its dependents. */
  private async settle(step: StepDefinition, patch: Partial<StepState> & { status: StepStatus }): Promise<void> {
    await this.env.store.updateStep(this.run.runId, step.name, { ...patch, endedAt: Date.now() }, ['pending']);
    this.ended(step.name, patch.status, patch.outputs ?? [], patch.error ?? null);
    if (this.opts.onStep) this.env.store.getStep(this.run.runId, step.name).then(this.opts.onStep, () => {});
  }

  private async settleBlocked(step: StepDefinition): Promise<void> {
    if (this.cancel.aborted) return this.settle(step, { status: 'cancelled', error: 'the run was cancelled before this step started' });
    const blocked = step.needs.find((n) => !SUCCEEDED.has(this.status.get(n)!))!;
    await this.settle(step, { status: 'skipped', error: `upstream step '${blocked}' ${this.status.get(blocked)}` });
  }

  private async start(step: StepDefinition): Promise<void> {
    const { env, run } = this;
    if (this.cancel.aborted) return this.settle(step, { status: 'cancelled', error: 'the run was cancelled before this step started' });
    try {
      if (step.when) {
        const gate = (this.outputs.get(step.when.step) ?? []).find((o) => o.name === step.when!.output);
        const value = gate ? await readValue(env.services.artifactStore, gate) : false;
        if (!value) return this.settle(step, { status: 'skipped', error: `condition ${step.when.step}.${step.when.output} is false` });
      }
      const inputs: Record<string, OutputArtifact[]> = {};
      for (const [name, refs] of Object.entries(step.inputs)) inputs[name] = refs.map((r) => (this.outputs.get(r.step) ?? []).find((o) => o.name === r.output)!);
      const { cacheKey, inputDigests } = cacheKeyOf(run.definition, step, inputs);
      const hit = run.force || step.alwaysRun ? null : await env.store.lookupCache(run.pipeline, step.name, cacheKey);
      if (hit) {
        // Shell steps' outs are checked out into the workspace, as `dvc repro` leaves them.
        if (step.kind.type === 'shell') for (const out of hit.outputs.filter((o) => o.kind !== 'value')) await restorePath(env.services.artifactStore, out, path.resolve(run.definition.root ?? '.', out.name));
        return this.settle(step, { status: 'cached', cacheKey, inputDigests, outputs: hit.outputs, cachedFromRunId: hit.trackingRunId });
      }
      // Not awaited: every step started in this turn is queued in one group commit (step-journal.ts).
      this.running.add(step.name);
      this.execute(step, { cacheKey, inputs, inputDigests }).catch((err: unknown) => {
        this.broken ??= { err };
        this.notify();
      });
    } catch (err) {
      await this.settle(step, { status: 'failed', error: toGyreError(err).message });
    }
  }

  private async execute(step: StepDefinition, work: Parameters<typeof queueStep>[3]): Promise<void> {
    const { env, run } = this;
    let state: StepState;
    let req: StepRequest | null = null;
    let recording = false;
    try {
      try {
        req = await queueStep(env, run, step, work);
        if (req) {
          const outcome = await this.dispatcher.dispatch(run, req, this.cancel);
          // The slot is free once the step has run: steps waiting for one are queued while its end is written.
          recording = true;
          this.recording++;
          this.running.delete(step.name);
          this.notify();
          state = await recordStepEnd(env, run, req, outcome);
        } else {
          state = await env.store.getStep(run.runId, step.name);
        }
      } catch (err) {
        state = await this.recordFailure(step, req, toGyreError(err).message);
      }
    } finally {
      if (recording) this.recording--;
      else this.running.delete(step.name);
    }
    this.ended(step.name, TERMINAL_STEP_STATUSES.has(state.status) ? state.status : 'failed', state.outputs, state.error);
    try {
      this.opts.onStep?.(state);
    } finally {
      this.notify();
    }
  }

  /** Wakes runAll's wait, if it is waiting: a step has ended (or its bookkeeping broke). */
  private notify(): void {
    this.wake?.();
    this.wake = null;
  }

  /**
   * The step could not be executed or its end not recorded (no worker could run it, the dispatcher
   * closed): it fails with that error, and its queued attempt's tracking run ends FAILED with it
   * rather than staying SCHEDULED.
   */
  private async recordFailure(step: StepDefinition, req: StepRequest | null, error: string): Promise<StepState> {
    const { env, run } = this;
    const now = Date.now();
    if (req) {
      const end = { runId: run.runId, step: step.name, attempt: req.attempt, trackingRunId: req.trackingRunId, status: 'failed' as const, outputs: [], error, worker: env.worker, startedAt: now, endedAt: now };
      try {
        return await recordStepEnd(env, run, req, { kind: 'ended', end });
      } catch {
        // The store refused the end as well: the plain update below still fails the step.
      }
    }
    await env.store.updateStep(run.runId, step.name, { status: 'failed', error, endedAt: now }, ['pending', 'queued', 'running']);
    return env.store.getStep(run.runId, step.name);
  }
}
