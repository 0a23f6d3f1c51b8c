/**
 * The BullMQ dispatcher's shared jobs on this machine's real Redis, answered by a bare BullMQ
 * worker standing in for `gyre worker`: how items travel, and what happens to an item its worker
 * could not execute (sent again on its own, as a new attempt) — its siblings are not rerun.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { BullmqDispatcher } from '../../src/pipelines/distributed/bullmq-dispatcher.js';
import type { ItemResult, StepJobData } from '../../src/pipelines/distributed/bullmq-dispatcher.js';
import { redisOptions, STEP_QUEUE } from '../../src/pipelines/distributed/redis-connection.js';
import type { PipelineRun } from '../../src/pipelines/entities.js';
import type { StepOutcome, StepRequest } from '../../src/pipelines/step-execution.js';

const redisUrl = process.env.GYRE_TEST_REDIS_URL ?? null;
const suite = redisUrl ? describe : describe.skip;

suite('BullMQ dispatcher: shared jobs (needs GYRE_TEST_REDIS_URL)', () => {
  const prefix = `gyre-batches-${randomBytes(4).toString('hex')}`;
  let queue: Queue;
  let dispatcher: BullmqDispatcher;
  const names = ['item@0', 'item@1', 'item@2', 'item@3'];
  const run = { runId: `r${randomBytes(4).toString('hex')}`, pipeline: 'p', definition: { digest: randomBytes(8).toString('hex'), steps: names.map((name) => ({ name, mappedFrom: 'item' })) } } as unknown as PipelineRun;
  const request = (step: string): StepRequest => ({ runId: run.runId, step, cacheKey: 'k', inputs: {}, inputDigests: {}, attempt: 1, trackingRunId: `t-${step}` });
  const endOf = (req: StepRequest, attempt = 1): StepOutcome => ({ kind: 'ended', end: { runId: req.runId, step: req.step, attempt, trackingRunId: req.trackingRunId, status: 'succeeded', outputs: [], error: null, worker: 'raw', startedAt: 1, endedAt: 1 } });

  beforeAll(async () => {
    queue = new Queue(STEP_QUEUE, { connection: redisOptions(redisUrl!), prefix });
    dispatcher = await BullmqDispatcher.connect(redisUrl!, prefix, { sharing: { firstSeen: 0 } });
  });
  afterAll(async () => {
    await dispatcher?.close();
    await queue?.obliterate({ force: true }).catch(() => {});
    await queue?.close();
  });

  it('sends a turn’s items in one job, and sends an item its worker could not execute again on its own, as redelivered', async () => {
    const seen: StepJobData[] = [];
    const worker = new Worker(
      STEP_QUEUE,
      async (job) => {
        const data = job.data as StepJobData;
        seen.push(data);
        if (!('batch' in data)) return endOf(data, 2);
        // item@2 "could not be executed" (its store write failed): the others ended.
        return { batch: data.batch.map((r): ItemResult => (r.step === 'item@2' ? { kind: 'unrun', runId: r.runId, step: r.step, error: 'store unreachable' } : endOf(r))) };
      },
      { connection: redisOptions(redisUrl!), prefix },
    );
    try {
      const cancel = new AbortController().signal;
      const outcomes = await Promise.all(names.map((n) => dispatcher.dispatch(run, request(n), cancel)));
      expect(outcomes.map((o) => (o.kind === 'ended' ? [o.end.step, o.end.attempt] : null))).toEqual([['item@0', 1], ['item@1', 1], ['item@2', 2], ['item@3', 1]]);
      // One shared job for the four, then item@2 alone, flagged so its worker runs a new attempt.
      expect(seen.map((d) => ('batch' in d ? d.batch.map((r) => r.step) : [d.step, d.redelivered]))).toEqual([names, ['item@2', true]]);
    } finally {
      await worker.close();
    }
  });
});
