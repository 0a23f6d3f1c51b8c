import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definePipeline, step } from './define-pipeline.js';
import { pipelineFixture, statuses } from './test-support/pipeline-fixture.js';
import { GyreError } from '../core/errors.js';
import type { StepDispatcher } from './pipeline-runner.js';
import { PipelineService } from './pipeline-service.js';
import { executeStep } from './step-execution.js';
import type { PipelineFixture } from './test-support/pipeline-fixture.js';

let f: PipelineFixture;
/** The real store, except that its next `lostReplies` queue writes commit and then report a dropped connection. */
let store: PipelineFixture['services']['pipelineStore'];
let lostReplies = 0;
beforeEach(async () => {
  f = await pipelineFixture();
  lostReplies = 0;
  store = Object.create(f.services.pipelineStore) as typeof store;
  store.queueSteps = async (items) => {
    const written = await f.services.pipelineStore.queueSteps(items);
    if (lostReplies > 0 && lostReplies--) throw new GyreError('UNAVAILABLE', 'Connection terminated unexpectedly');
    return written;
  };
});
afterEach(() => f.close());

describe('retries, timeouts, fan-out/fan-in, conditions, cancellation', () => {
  it('retries a flaky step with backoff and succeeds within its attempts, logging each failure', async () => {
    let tries = 0;
    const r = await f.pipelines.run(
      definePipeline({ name: 'flaky', steps: [step({ name: 'fetch', outputs: ['ok'], retry: { attempts: 3, backoffMs: 5 }, run: () => { if (++tries < 3) throw new Error(`network blip ${tries}`); return { ok: true }; } })] }),
    );
    expect(statuses(r)).toEqual({ fetch: 'succeeded' });
    expect(tries).toBe(3);
    const log = await f.pipelines.logs(r.runId, 'fetch');
    expect(log).toContain('attempt 1 failed: network blip 1');
    expect(log).toContain('retrying in 10 ms (attempt 3 of 3)');
  });

  it('fails a step that runs past its timeout, with DEADLINE_EXCEEDED wording', async () => {
    const r = await f.pipelines.run(
      definePipeline({ name: 'slow', steps: [step({ name: 'hang', timeoutMs: 50, run: ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) })] }),
    );
    expect(statuses(r)).toEqual({ hang: 'failed' });
    expect(r.steps[0]!.error).toMatch(/ran longer than its timeout of 50 ms/);
  });

  it('maps a step over a list (fan-out) and hands the list of results to the next (fan-in)', async () => {
    const r = await f.pipelines.run(
      definePipeline({
        name: 'hpo',
        steps: [
          step({ name: 'data', outputs: ['xs'], run: () => ({ xs: [1, 2, 3] }) }),
          step({ name: 'trial', map: [1, 10, 100], inputs: { xs: 'data.xs' }, outputs: ['score'], run: ({ item, inputs }) => ({ score: (item as number) * inputs.xs.length }) }),
          step({ name: 'best', inputs: { scores: 'trial.score' }, outputs: ['max'], run: ({ inputs }) => ({ max: Math.max(...inputs.scores) }) }),
        ],
      }),
    );
    expect(statuses(r)).toEqual({ data: 'succeeded', 'trial@1': 'succeeded', 'trial@10': 'succeeded', 'trial@100': 'succeeded', best: 'succeeded' });
    const best = r.steps.find((s) => s.step === 'best')!;
    expect(best.inputDigests.scores).toHaveLength(3);
    expect(JSON.parse(best.outputs[0]!.inline!)).toBe(300);
  });

  it('runs a conditional step only when its gate passed; a closed gate skips it and its dependents without failing the run', async () => {
    const gated = (quality: number) =>
      definePipeline({
        name: 'gated',
        steps: [
          step({ name: 'evaluate', outputs: ['passed'], params: { quality: { type: 'number' } }, with: { quality }, run: ({ params }) => ({ passed: params.quality > 0.8 }) }),
          step({ name: 'register', when: 'evaluate.passed', outputs: ['version'], run: () => ({ version: 1 }) }),
          step({ name: 'deploy', inputs: { v: 'register.version' }, run: () => ({}) }),
        ],
      });
    const closed = await f.pipelines.run(gated(0.5));
    expect(closed.status).toBe('succeeded');
    expect(statuses(closed)).toEqual({ evaluate: 'succeeded', register: 'skipped', deploy: 'skipped' });
    expect(closed.steps[1]!.error).toBe('condition evaluate.passed is false');
    expect(statuses(await f.pipelines.run(gated(0.9)))).toEqual({ evaluate: 'succeeded', register: 'succeeded', deploy: 'succeeded' });
  });

  it('cancels a running pipeline: the running step is signalled, steps not started are cancelled, tracking says KILLED', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const pending = f.pipelines.run(
      definePipeline({
        name: 'long',
        steps: [
          step({ name: 'wait', run: ({ signal }) => new Promise((_, reject) => { started(); signal.addEventListener('abort', () => reject(new Error('stopped'))); }) }),
          step({ name: 'after', after: ['wait'], run: () => ({}) }),
        ],
      }),
    );
    await running;
    const [run] = await f.pipelines.list({ pipeline: 'long' });
    await f.pipelines.cancel(run!.runId);
    const r = await pending;
    expect(r.status).toBe('cancelled');
    expect(statuses(r)).toEqual({ wait: 'cancelled', after: 'cancelled' });
    expect((await f.services.tracking.getRun(r.trackingRunId)).info.status).toBe('KILLED');
    await expect(f.pipelines.cancel(r.runId)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('fails a step no executor could run with the executor\'s error, and ends its tracking run FAILED instead of leaving it SCHEDULED', async () => {
    // An executor that cannot take steps, as a dispatcher whose workers all gave up answers.
    const unreachable: StepDispatcher = { dispatch: async () => { throw new GyreError('UNAVAILABLE', 'no worker could run it'); }, close: async () => {} };
    const r = await f.pipelines.run(definePipeline({ name: 'stranded', steps: [step({ name: 'a', params: { lr: { type: 'number' } }, with: { lr: 0.1 }, run: () => ({}) }), step({ name: 'b', after: ['a'], run: () => ({}) })] }), { dispatcher: unreachable });
    expect(statuses(r)).toEqual({ a: 'failed', b: 'skipped' });
    const a = r.steps.find((s) => s.step === 'a')!;
    expect(a.error).toContain('no worker could run it');
    const tracked = await f.services.tracking.getRun(a.trackingRunId!);
    expect([tracked.info.status, tracked.info.endTime === null]).toEqual(['FAILED', false]);
    expect(tracked.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
  });

  it('runs a step whose queue write committed but whose reply was lost (the connection dropped after COMMIT), as one run, for one step and for a batch', async () => {
    const pipelines = new PipelineService(f.services, store, 'test-worker');
    for (const [name, steps] of [['one', ['a']], ['batch', ['a', 'b', 'c']]] as const) {
      lostReplies = 1;
      const r = await pipelines.run(definePipeline({ name, steps: steps.map((s) => step({ name: s, run: () => ({}) })) }));
      expect([name, r.status, statuses(r)]).toEqual([name, 'succeeded', Object.fromEntries(steps.map((s) => [s, 'succeeded']))]);
      const children = await f.services.tracking.searchRuns({ experimentIds: [(await f.services.tracking.getRun(r.trackingRunId)).info.experimentId], filter: `tags.mlflow.parentRunId = '${r.trackingRunId}'` });
      expect([name, children.items.map((c) => `${c.info.runName}:${c.info.status}`).sort()]).toEqual([name, steps.map((s) => `${s}:FINISHED`)]);
    }
  });

  it('a redelivered step whose re-queue committed but whose reply was lost runs as that attempt, not as another redelivery', async () => {
    // The worker's first queue write is the redelivery's new attempt.
    lostReplies = 1;
    const pipeline = definePipeline({ name: 'redelivered', steps: [step({ name: 'a', run: () => ({}) })] });
    const worker = new PipelineService(f.services, store, 'test-worker');
    worker.register(pipeline);
    // Every job arrives as a redelivery, as BullMQ hands out a job whose first worker died.
    const dispatcher: StepDispatcher = { dispatch: (run, req, cancel) => executeStep(worker.env, run, req, cancel, true), close: async () => {} };
    const r = await f.pipelines.run(pipeline, { dispatcher });
    expect([r.status, r.steps[0]!.attempt, r.error]).toEqual(['succeeded', 2, null]);
    const experimentId = (await f.services.tracking.getRun(r.trackingRunId)).info.experimentId;
    const children = await f.services.tracking.searchRuns({ experimentIds: [experimentId], filter: `tags.mlflow.parentRunId = '${r.trackingRunId}'` });
    expect(children.items.map((c) => c.info.status).sort()).toEqual(['FINISHED', 'KILLED']);
  });

  it('a run whose store refuses even to record a failed step ends with that error instead of waiting forever', async () => {
    const down = () => Promise.reject(new GyreError('UNAVAILABLE', 'database is down'));
    store.queueSteps = down;
    store.updateStep = down;
    const pipelines = new PipelineService(f.services, store, 'test-worker');
    let runId = '';
    await expect(pipelines.run(definePipeline({ name: 'down', steps: [step({ name: 'a', run: () => ({}) }), step({ name: 'b', run: () => ({}) })] }), { onStart: (r) => (runId = r.runId) })).rejects.toThrow('database is down');
    // Ended failed rather than left running, with the reason.
    expect(await f.services.pipelineStore.getRun(runId)).toMatchObject({ status: 'failed', error: expect.stringContaining('database is down') });
  });
});
