/**
 * The BullMQ dispatcher's sweep on this machine's real Redis: what it does for a step whose
 * completion event it never heard (the job ended while nobody listened) and for a step whose job
 * is gone from Redis. Both used to leave the pipeline waiting forever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { BullmqDispatcher, stepJobId } from '../../src/pipelines/distributed/bullmq-dispatcher.js';
import { redisOptions, STEP_QUEUE } from '../../src/pipelines/distributed/redis-connection.js';
import type { PipelineRun } from '../../src/pipelines/entities.js';
import type { StepOutcome, StepRequest } from '../../src/pipelines/step-execution.js';

const redisUrl = process.env.GYRE_TEST_REDIS_URL ?? null;
const suite = redisUrl ? describe : describe.skip;
const SWEEP_MS = 150;

suite('BullMQ dispatcher sweep (needs GYRE_TEST_REDIS_URL)', () => {
  const prefix = `gyre-sweep-${randomBytes(4).toString('hex')}`;
  let queue: Queue;
  let dispatcher: BullmqDispatcher;
  const run = { runId: 'r1', definition: { steps: [] } } as unknown as PipelineRun;
  const request = (step: string): StepRequest => ({ runId: run.runId, step, cacheKey: 'k', inputs: {}, inputDigests: {}, attempt: 1, trackingRunId: `t-${step}` });
  const endOf = (req: StepRequest): StepOutcome => ({ kind: 'ended', end: { runId: req.runId, step: req.step, attempt: 1, trackingRunId: req.trackingRunId, status: 'succeeded', outputs: [], error: null, worker: 'raw', startedAt: 1, endedAt: 2 } });

  beforeAll(async () => {
    queue = new Queue(STEP_QUEUE, { connection: redisOptions(redisUrl!), prefix });
    dispatcher = await BullmqDispatcher.connect(redisUrl!, prefix, { sweepAfterMs: SWEEP_MS });
  });
  afterAll(async () => {
    await dispatcher?.close();
    await queue?.obliterate({ force: true }).catch(() => {});
    await queue?.close();
  });

  it('finds a job that completed, after failing once, before its completion could be heard, and resolves the step with its result', async () => {
    const req = request('retried');
    // The job runs and ends before the dispatcher dispatches it: its events are long gone.
    let tries = 0;
    const worker = new Worker(STEP_QUEUE, async (job) => {
      if (++tries === 1) throw new Error('first try fails');
      return endOf(job.data as StepRequest);
    }, { connection: redisOptions(redisUrl!), prefix });
    try {
      await queue.add(req.step, req, { jobId: stepJobId(req.runId, req.step), attempts: 3, backoff: { type: 'fixed', delay: 10 }, removeOnComplete: { count: 100 } });
      for (let i = 0; i < 200 && (await queue.getJob(stepJobId(req.runId, req.step)))?.finishedOn === undefined; i++) await new Promise((r) => setTimeout(r, 20));
      const job = await queue.getJob(stepJobId(req.runId, req.step));
      expect([job?.attemptsMade, job?.failedReason, await job?.getState()]).toEqual([2, 'first try fails', 'completed']);
    } finally {
      await worker.close();
    }
    // Adding the same job id again is a no-op, so only the sweep can learn how it ended.
    await expect(dispatcher.dispatch(run, req, new AbortController().signal)).resolves.toEqual(endOf(req));
  });

  it('keeps waiting for a job still in the queue, and fails the step with a clear error once its job is gone from Redis', async () => {
    const req = request('vanishing');
    let settled = false;
    const outcome = dispatcher.dispatch(run, req, new AbortController().signal).finally(() => (settled = true));
    outcome.catch(() => {});
    // Several sweep periods with the job waiting (no worker): the step is still waited for.
    await new Promise((r) => setTimeout(r, SWEEP_MS * 4));
    expect([settled, await (await queue.getJob(stepJobId(req.runId, req.step)))?.getState()]).toEqual([false, 'waiting']);
    await queue.remove(stepJobId(req.runId, req.step));
    await expect(outcome).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining("Step 'vanishing' has no job in Redis any more") });
  });
});
