/**
 * Distributed executor, coordinator side: each executed step becomes one BullMQ job (id = run and
 * step, so enqueuing twice is a no-op) that a `gyre worker` on any machine takes. The coordinator
 * waits for the job, whose result is the step's final state as the worker recorded it in the database.
 * Workers that die mid-step lose their lock; BullMQ's stalled-job check hands the job to another.
 */
import { Queue, QueueEvents } from 'bullmq';
import { GyreError } from '../../core/errors.js';
import type { PipelineRun, StepState } from '../entities.js';
import type { StepDispatcher } from '../pipeline-runner.js';
import type { PipelineEnv, StepRequest } from '../step-execution.js';
import { redisOptions, STEP_QUEUE } from './redis-connection.js';

export interface StepJobData extends StepRequest {}

/** BullMQ job ids may not contain ':'; run ids are hex and step names have no '~'. */
export const stepJobId = (runId: string, step: string) => `${runId}~${step}`;

export class BullmqDispatcher implements StepDispatcher {
  private constructor(
    private readonly env: PipelineEnv,
    private readonly queue: Queue<StepJobData>,
    private readonly events: QueueEvents,
  ) {}

  static async connect(env: PipelineEnv, url: string, prefix: string): Promise<BullmqDispatcher> {
    const connection = redisOptions(url);
    const queue = new Queue<StepJobData>(STEP_QUEUE, { connection, prefix });
    const events = new QueueEvents(STEP_QUEUE, { connection, prefix });
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    } catch (err) {
      await Promise.allSettled([queue.close(), events.close()]);
      throw new GyreError('UNAVAILABLE', `Cannot reach Redis at ${url}: ${(err as Error).message}. Start Redis or unset GYRE_REDIS_URL to run steps in process.`, { url });
    }
    // Every step in flight waits on these two emitters (job.waitUntilFinished adds listeners).
    queue.setMaxListeners(0);
    events.setMaxListeners(0);
    return new BullmqDispatcher(env, queue, events);
  }

  async dispatch(run: PipelineRun, req: StepRequest, _cancel: AbortSignal): Promise<StepState> {
    const job = await this.queue.add(req.step, req, {
      jobId: stepJobId(run.runId, req.step),
      // Step failures are recorded by the worker and complete the job; a job fails only when a
      // worker could not record anything, and that is worth a few more tries elsewhere.
      attempts: 3,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 24 * 3600 },
    });
    const result: unknown = await job.waitUntilFinished(this.events);
    // A worker of an older Gyre returned only the status: then the store has the state.
    return isStepState(result, req) ? result : this.env.store.getStep(run.runId, req.step);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }
}

function isStepState(value: unknown, req: StepRequest): value is StepState {
  const s = value as Partial<StepState> | null;
  return typeof s === 'object' && s !== null && s.runId === req.runId && s.step === req.step && typeof s.status === 'string' && Array.isArray(s.outputs);
}
