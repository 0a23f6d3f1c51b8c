/**
 * Distributed executor, coordinator side: each executed step becomes one BullMQ job (id = run and
 * step, so enqueuing twice is a no-op) that a `gyre worker` on any machine takes. The job's result
 * is how the step ended; the coordinator records it (step-execution.ts recordStepEnd).
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
import { GroupCommit } from '../../core/group-commit.js';
import type { PipelineRun } from '../entities.js';
import type { StepDispatcher } from '../pipeline-runner.js';
import type { StepOutcome, StepRequest } from '../step-execution.js';
import { redisOptions, STEP_QUEUE } from './redis-connection.js';

export interface StepJobData extends StepRequest {}

/** BullMQ job ids may not contain ':'; run ids are hex and step names have no '~'. */
export const stepJobId = (runId: string, step: string) => `${runId}~${step}`;

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
}

interface Waiter {
  req: StepRequest;
  resolve(outcome: StepOutcome): void;
  reject(err: Error): void;
  /** When the job was added, or last found still waiting or running by a sweep. */
  since: number;
  /** When a sweep first found no job in Redis for this step. */
  missingSince?: number;
}

interface NewJob {
  name: string;
  data: StepJobData;
  opts: JobsOptions;
}

export class BullmqDispatcher implements StepDispatcher {
  private readonly waiting = new Map<string, Waiter>();
  private readonly adds: GroupCommit<NewJob, undefined>;
  private readonly sweep: NodeJS.Timeout;
  private sweeping = false;

  private constructor(
    private readonly queue: Queue<StepJobData>,
    private readonly events: QueueEvents,
    private readonly sweepAfterMs: number,
  ) {
    this.adds = new GroupCommit(async (jobs) => (await queue.addBulk(jobs), jobs.map(() => undefined)), 500);
    events.on('completed', ({ jobId, returnvalue }) => this.completed(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason));
    this.sweep = setInterval(() => void this.sweepStale(), sweepAfterMs);
    this.sweep.unref();
  }

  static async connect(url: string, prefix: string, opts: DispatcherOptions = {}): Promise<BullmqDispatcher> {
    const connection = redisOptions(url);
    const queue = new Queue<StepJobData>(STEP_QUEUE, { connection, prefix });
    const events = new QueueEvents(STEP_QUEUE, { connection, prefix });
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    } catch (err) {
      await Promise.allSettled([queue.close(), events.close()]);
      throw new GyreError('UNAVAILABLE', `Cannot reach Redis at ${url}: ${(err as Error).message}. Start Redis or unset GYRE_REDIS_URL to run steps in process.`, { url });
    }
    return new BullmqDispatcher(queue, events, opts.sweepAfterMs ?? SWEEP_AFTER_MS);
  }

  async dispatch(run: PipelineRun, req: StepRequest, _cancel: AbortSignal): Promise<StepOutcome> {
    const jobId = stepJobId(run.runId, req.step);
    // Listening before the job exists: its completion cannot slip past.
    const finished = new Promise<StepOutcome>((resolve, reject) => this.waiting.set(jobId, { req, resolve, reject, since: Date.now() }));
    try {
      await this.adds.submit({ name: req.step, data: req, opts: { ...JOB_OPTIONS, jobId } });
    } catch (err) {
      this.waiting.delete(jobId);
      throw err;
    }
    return finished;
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    for (const [jobId, w] of this.waiting) w.reject(new GyreError('UNAVAILABLE', `The dispatcher closed while step '${w.req.step}' was running (job ${jobId}).`, { jobId }));
    this.waiting.clear();
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }

  private completed(jobId: string, result: unknown): void {
    const w = this.waiting.get(jobId);
    if (!w) return;
    this.waiting.delete(jobId);
    if (isOutcome(result, w.req)) w.resolve(result);
    else w.reject(new GyreError('INTERNAL', `Step '${w.req.step}' was run by a worker whose answer this coordinator does not understand (job ${jobId}). Run the same Gyre version on the coordinator and every gyre worker.`, { jobId }));
  }

  private failed(jobId: string, reason: string): void {
    const w = this.waiting.get(jobId);
    if (!w) return;
    this.waiting.delete(jobId);
    w.reject(new GyreError('INTERNAL', `Step '${w.req.step}' could not be executed by any worker: ${reason}`, { jobId }));
  }

  /**
   * Asks Redis about jobs whose end has not been heard of for a while (one sweep at a time). A
   * job's state says how it ended (its failedReason outlives a retry that then succeeded, so it
   * cannot tell); a job still waiting or running is asked about again a period later; a job gone
   * from Redis twice in a row (Redis restarted without persistence, or the job was removed) fails
   * its step, which a rerun of the pipeline executes again.
   */
  private async sweepStale(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const now = Date.now();
      for (const [jobId, w] of [...this.waiting]) {
        if (now - w.since < this.sweepAfterMs) continue;
        const job = await this.queue.getJob(jobId).catch(() => null);
        if (job === null) continue; // Redis did not answer: the next sweep asks again.
        if (!job) {
          w.missingSince ??= now;
          if (now - w.missingSince >= this.sweepAfterMs) this.lost(jobId);
          continue;
        }
        w.missingSince = undefined;
        const state = await job.getState().catch(() => 'unknown');
        if (state === 'completed') this.completed(jobId, job.returnvalue);
        else if (state === 'failed') this.failed(jobId, job.failedReason);
        else w.since = now;
      }
    } finally {
      this.sweeping = false;
    }
  }

  private lost(jobId: string): void {
    const w = this.waiting.get(jobId);
    if (!w) return;
    this.waiting.delete(jobId);
    w.reject(new GyreError('UNAVAILABLE', `Step '${w.req.step}' has no job in Redis any more (job ${jobId}: Redis was restarted without persistence, or the job was removed). Run the pipeline again: steps that finished are taken from the cache.`, { jobId }));
  }
}

function isOutcome(value: unknown, req: StepRequest): value is StepOutcome {
  const o = value as { kind?: string; end?: { runId?: string; step?: string }; state?: { runId?: string; step?: string } } | null;
  const of = o?.kind === 'ended' ? o.end : o?.kind === 'recorded' ? o.state : undefined;
  return of?.runId === req.runId && of.step === req.step;
}
