/**
 * Distributed executor, coordinator side: each executed step becomes a BullMQ job (id = run and
 * step, so enqueuing twice is a no-op) that a `gyre worker` on any machine takes — or, for items of
 * a fan-out that have proven fast, shares one with a few of its siblings (item-batching.ts). The
 * job's result is how the step ended; the coordinator records it (step-execution.ts recordStepEnd).
 *
 * Per step this costs as little Redis as BullMQ allows: jobs queued in the same turn go in one
 * `addBulk` (one round trip), and completions arrive through one QueueEvents listener matched by job
 * id — subscribed before the job is added, so no per-job "has it already finished?" query is needed
 * (Job.waitUntilFinished makes one). A sweep asks Redis directly about jobs whose event has not
 * come for a while, so a lost event (a dropped connection) delays a step but never strands it.
 */
import { Queue, QueueEvents } from 'bullmq';
import type { JobsOptions } from 'bullmq';
import { GyreError } from '../../core/errors.js';
import { sha256 } from '../digests.js';
import type { PipelineRun } from '../entities.js';
import type { StepDispatcher } from '../pipeline-runner.js';
import type { StepOutcome, StepRequest } from '../step-execution.js';
import { findStep } from '../step-execution.js';
import { chunks, familyOf, ItemPace } from './item-batching.js';
import type { SharingOptions } from './item-batching.js';
import { redisOptions, STEP_QUEUE } from './redis-connection.js';

/**
 * A job carries one step, or several items of one fan-out (run one after another by its worker). A
 * step sent again on its own after its shared job could not run it is `redelivered`: it runs as a
 * new attempt, as a single job's retry by BullMQ would.
 */
export type StepJobData = (StepRequest & { redelivered?: boolean }) | { batch: StepRequest[] };
/**
 * How a shared job's item went: its outcome, or `unrun` when its worker could not execute it (the
 * store or the artifact store failed it); the coordinator sends that item again on its own.
 */
export type ItemResult = StepOutcome | { kind: 'unrun'; runId: string; step: string; error: string };
export type StepJobResult = StepOutcome | { batch: ItemResult[] };

/** BullMQ job ids may not contain ':'; run ids are hex and step names have no '~'. */
export const stepJobId = (runId: string, step: string) => `${runId}~${step}`;

/**
 * A shared job's id is named by the steps it carries (their runs and names): enqueuing the same
 * ones twice is a no-op, as for a single step, and a different group is a different job.
 */
const batchJobId = (reqs: readonly StepRequest[]) => `${reqs[0]!.runId}~batch~${sha256(reqs.map((r) => `${r.runId}/${r.step}`).join('\u0000')).slice(-32)}`;

const JOB_OPTIONS: JobsOptions = {
  // Step failures are recorded by the worker and complete the job; a job fails only when a
  // worker could not record anything, and that is worth a few more tries elsewhere.
  attempts: 3,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600 },
};

/** A job whose completion event has not arrived after this long is looked up in Redis (and again each period after). */
const SWEEP_AFTER_MS = 10_000;

export interface DispatcherOptions {
  /** How long a job's end may go unheard of before Redis is asked about it (default 10 s). */
  sweepAfterMs?: number;
  /** When items of a fan-out share jobs (item-batching.ts); by default once they have proven fast. */
  sharing?: SharingOptions;
}

interface Waiter {
  req: StepRequest;
  /** The fan-out the step is an item of (item-batching.ts), or null. */
  family: string | null;
  resolve(outcome: StepOutcome): void;
  reject(err: Error): void;
}

/** A job in Redis and the steps waiting for it to end. */
interface Dispatched {
  waiters: Waiter[];
  /** When the job was added, or last found still waiting or running by a sweep. */
  since: number;
  /** When a sweep first found no such job in Redis. */
  missingSince?: number;
}

export class BullmqDispatcher implements StepDispatcher {
  private readonly jobs = new Map<string, Dispatched>();
  /** Steps dispatched in this turn of the event loop: they go to Redis together, in one addBulk. */
  private turn: Waiter[] = [];
  private readonly sweep: NodeJS.Timeout;
  private sweeping = false;

  private constructor(
    private readonly queue: Queue<StepJobData>,
    private readonly events: QueueEvents,
    private readonly sweepAfterMs: number,
    private readonly pace: ItemPace,
  ) {
    events.on('completed', ({ jobId, returnvalue }) => this.completed(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason));
    this.sweep = setInterval(() => void this.sweepStale(), sweepAfterMs);
    this.sweep.unref();
  }

  static async connect(url: string, prefix: string, opts: DispatcherOptions = {}): Promise<BullmqDispatcher> {
    const pace = new ItemPace(opts.sharing); // bad options are refused before anything connects
    const connection = redisOptions(url);
    const queue = new Queue<StepJobData>(STEP_QUEUE, { connection, prefix });
    const events = new QueueEvents(STEP_QUEUE, { connection, prefix });
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    } catch (err) {
      await Promise.allSettled([queue.close(), events.close()]);
      throw new GyreError('UNAVAILABLE', `Cannot reach Redis at ${url}: ${(err as Error).message}. Start Redis or unset GYRE_REDIS_URL to run steps in process.`, { url });
    }
    return new BullmqDispatcher(queue, events, opts.sweepAfterMs ?? SWEEP_AFTER_MS, pace);
  }

  dispatch(run: PipelineRun, req: StepRequest, _cancel: AbortSignal): Promise<StepOutcome> {
    return new Promise<StepOutcome>((resolve, reject) => {
      if (this.turn.length === 0) setImmediate(() => this.flush());
      this.turn.push({ req, family: familyOf(run, findStep(run, req.step)?.mappedFrom ?? null), resolve, reject });
    });
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    const closed = (w: Waiter, jobId: string) => w.reject(new GyreError('UNAVAILABLE', `The dispatcher closed while step '${w.req.step}' was running (job ${jobId}).`, { jobId }));
    for (const [jobId, job] of this.jobs) for (const w of job.waiters) closed(w, jobId);
    for (const w of this.turn.splice(0)) closed(w, stepJobId(w.req.runId, w.req.step));
    this.jobs.clear();
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }

  /** This turn's steps as jobs: items of a fan-out that have proven fast share them. */
  private flush(): void {
    const byFamily = new Map<string | null, Waiter[]>();
    for (const w of this.turn.splice(0)) {
      const list = byFamily.get(w.family) ?? [];
      list.push(w);
      byFamily.set(w.family, list);
    }
    const jobs: { waiters: Waiter[]; data: StepJobData }[] = [];
    for (const [family, waiters] of byFamily) {
      const size = family === null ? 1 : this.pace.itemsPerJob(family);
      for (const group of chunks(waiters, size)) jobs.push({ waiters: group, data: group.length === 1 ? group[0]!.req : { batch: group.map((w) => w.req) } });
    }
    this.add(jobs);
  }

  /** Jobs registered before they are added (an end cannot slip past), in one addBulk. */
  private add(jobs: { waiters: Waiter[]; data: StepJobData }[]): void {
    const added = jobs.map(({ waiters, data }) => {
      const first = waiters[0]!.req;
      const jobId = waiters.length === 1 ? stepJobId(first.runId, first.step) : batchJobId(waiters.map((w) => w.req));
      this.jobs.set(jobId, { waiters, since: Date.now() });
      return { name: waiters.length === 1 ? first.step : `${first.step}+${waiters.length - 1}`, data, opts: { ...JOB_OPTIONS, jobId } };
    });
    this.queue.addBulk(added).catch((err: unknown) => {
      for (const { opts } of added) {
        const job = this.jobs.get(opts.jobId!);
        this.jobs.delete(opts.jobId!);
        for (const w of job?.waiters ?? []) w.reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private completed(jobId: string, result: unknown): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    this.jobs.delete(jobId);
    const items = (result as { batch?: unknown } | null)?.batch;
    const list: unknown[] = Array.isArray(items) ? items : [result];
    const again: Waiter[] = [];
    for (const w of job.waiters) {
      const outcome = list.find((o) => isItemResult(o, w.req));
      if (!outcome) {
        w.reject(new GyreError('INTERNAL', `Step '${w.req.step}' was run by a worker whose answer this coordinator does not understand (job ${jobId}). Run the same Gyre version on the coordinator and every gyre worker.`, { jobId }));
      } else if (outcome.kind === 'unrun') {
        again.push(w);
      } else {
        if (w.family !== null && outcome.kind === 'ended') this.pace.ended(w.family, outcome.end.endedAt - outcome.end.startedAt);
        w.resolve(outcome);
      }
    }
    if (again.length > 0) this.add(again.map((w) => ({ waiters: [w], data: { ...w.req, redelivered: true } })));
  }

  private failed(jobId: string, reason: string): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    this.jobs.delete(jobId);
    for (const w of job.waiters) w.reject(new GyreError('INTERNAL', `Step '${w.req.step}' could not be executed by any worker: ${reason}`, { jobId }));
  }

  /**
   * Asks Redis about jobs whose end has not been heard of for a while (one sweep at a time). A
   * job's state says how it ended (its failedReason outlives a retry that then succeeded, so it
   * cannot tell); a job still waiting or running is asked about again a period later; a job gone
   * from Redis twice in a row (Redis restarted without persistence, or the job was removed) fails
   * its steps, which a rerun of the pipeline executes again.
   */
  private async sweepStale(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const now = Date.now();
      for (const [jobId, d] of [...this.jobs]) {
        if (now - d.since < this.sweepAfterMs) continue;
        const job = await this.queue.getJob(jobId).catch(() => null);
        if (job === null) continue; // Redis did not answer: the next sweep asks again.
        if (!job) {
          d.missingSince ??= now;
          if (now - d.missingSince >= this.sweepAfterMs) this.lost(jobId);
          continue;
        }
        d.missingSince = undefined;
        const state = await job.getState().catch(() => 'unknown');
        if (state === 'completed') this.completed(jobId, job.returnvalue);
        else if (state === 'failed') this.failed(jobId, job.failedReason);
        else d.since = now;
      }
    } finally {
      this.sweeping = false;
    }
  }

  private lost(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    this.jobs.delete(jobId);
    for (const w of job.waiters) w.reject(new GyreError('UNAVAILABLE', `Step '${w.req.step}' has no job in Redis any more (job ${jobId}: Redis was restarted without persistence, or the job was removed). Run the pipeline again: steps that finished are taken from the cache.`, { jobId }));
  }
}

function isItemResult(value: unknown, req: StepRequest): value is ItemResult {
  const o = value as { kind?: string; runId?: string; step?: string; end?: { runId?: string; step?: string }; state?: { runId?: string; step?: string } } | null;
  const of = o?.kind === 'ended' ? o.end : o?.kind === 'recorded' ? o.state : o?.kind === 'unrun' ? o : undefined;
  return of?.runId === req.runId && of.step === req.step;
}
