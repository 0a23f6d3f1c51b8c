/** What every PipelineStore backend must do. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStore, StepFinished, StepToQueue } from './pipeline-store.js';
import type { PipelineRun, StepState } from './entities.js';
import type { TrackingStore } from '../tracking/tracking-store.js';

export interface PipelineStoreFixture {
  store: PipelineStore;
  /** Tracking on the same database: steps' tracking runs are written by the pipeline store. */
  tracking: TrackingStore;
  cleanup(): Promise<void>;
}

const definition = { name: 'p', steps: [], module: null, root: null, digest: 'sha256:0' };
const run = (runId: string, createdAt = Date.now(), pipeline = 'p'): PipelineRun => ({
  runId, pipeline, status: 'running', trackingRunId: `t-${runId}`, definition, trigger: 'manual', force: false, cancelRequested: false, error: null, createdAt, endedAt: null,
});
const toQueue = (runId: string, step: string, trackingRunId: string, fromAttempt = 0, supersedes: string | null = null): StepToQueue => ({
  runId, step, fromAttempt, cacheKey: `k-${step}`, inputDigests: { a: ['sha256:2'] }, supersedes,
  trackingRun: { runId: trackingRunId, experimentId: '0', artifactLocation: 'mlflow-artifacts:/0', runName: step, startTime: 100, tags: [{ key: 'gyre.pipeline.step', value: step }] },
});
const finished = (runId: string, step: string, trackingRunId: string, attempt: number, cache: StepFinished['cache'] = null): StepFinished => ({
  runId, step, attempt, trackingRunId, status: 'succeeded', outputs: [{ name: 'x', kind: 'value', digest: 'sha256:1', size: 1, storePath: '', inline: '1' }], error: null, worker: 'w1', startedAt: 200, endedAt: 300,
  params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 'gyre.pipeline.outputs', value: '[]' }], cache,
});
const pending = (step: string): StepState => ({
  runId: '', step, status: 'pending', attempt: 0, cacheKey: null, trackingRunId: null, cachedFromRunId: null, outputs: [], inputDigests: {}, error: null, worker: null, startedAt: null, endedAt: null,
});

export function pipelineStoreContract(name: string, make: () => Promise<PipelineStoreFixture>): void {
  describe(`PipelineStore contract: ${name}`, () => {
    let f: PipelineStoreFixture;
    beforeAll(async () => (f = await make()));
    afterAll(() => f?.cleanup());

    it('creates a run with its steps in order; a taken id is ALREADY_EXISTS; an unknown one NOT_FOUND', async () => {
      await f.store.createRun(run('r1'), [pending('b'), pending('a')]);
      expect(await f.store.getRun('r1')).toMatchObject({ runId: 'r1', status: 'running', definition, force: false, cancelRequested: false });
      expect((await f.store.getSteps('r1')).map((s) => [s.step, s.status])).toEqual([['b', 'pending'], ['a', 'pending']]);
      await expect(f.store.createRun(run('r1'), [])).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(f.store.getRun('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(f.store.getStep('r1', 'zz')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('updates a step by compare-and-set on its status, so only one worker claims it', async () => {
      await f.store.createRun(run('r2'), [pending('s')]);
      expect(await f.store.updateStep('r2', 's', { status: 'running', attempt: 1, worker: 'w1' }, ['pending'])).toBe(true);
      expect(await f.store.updateStep('r2', 's', { status: 'running', attempt: 1, worker: 'w2' }, ['pending'])).toBe(false);
      const outputs = [{ name: 'm', kind: 'value' as const, digest: 'sha256:1', size: 3, storePath: 'x' }];
      expect(await f.store.updateStep('r2', 's', { status: 'succeeded', outputs, inputDigests: { a: ['sha256:2'] }, endedAt: 5 }, ['running'])).toBe(true);
      expect(await f.store.getStep('r2', 's')).toMatchObject({ status: 'succeeded', worker: 'w1', attempt: 1, outputs, inputDigests: { a: ['sha256:2'] }, endedAt: 5 });
    });

    it('queues steps with their tracking runs (SCHEDULED) in one batch, by compare-and-set on the attempt', async () => {
      await f.store.createRun(run('q1'), [pending('a'), pending('b')]);
      const before = await f.tracking.dataVersion();
      expect(await f.store.queueSteps([toQueue('q1', 'a', 'tq1a'), toQueue('q1', 'b', 'tq1b')])).toEqual([true, true]);
      if (before !== null) expect(await f.tracking.dataVersion()).not.toBe(before);
      expect(await f.store.getStep('q1', 'a')).toMatchObject({ status: 'queued', attempt: 1, trackingRunId: 'tq1a', cacheKey: 'k-a', inputDigests: { a: ['sha256:2'] }, worker: null });
      const tracked = await f.tracking.getRun('tq1a');
      expect(tracked.info).toMatchObject({ status: 'SCHEDULED', runName: 'a', experimentId: '0', startTime: 100, endTime: null, artifactUri: 'mlflow-artifacts:/0/tq1a/artifacts' });
      expect(tracked.data.tags).toEqual(expect.arrayContaining([{ key: 'gyre.pipeline.step', value: 'a' }, { key: 'mlflow.runName', value: 'a' }]));
      // Already at attempt 1: a second first-claim applies to nothing and creates no run.
      expect(await f.store.queueSteps([toQueue('q1', 'a', 'tq1a-again'), toQueue('q1', 'zz', 'tq1zz')])).toEqual([false, false]);
      await expect(f.tracking.getRun('tq1a-again')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('starts a queued attempt on its worker (tracking RUNNING); a start for another attempt changes nothing', async () => {
      await f.store.createRun(run('q2'), [pending('a')]);
      await f.store.queueSteps([toQueue('q2', 'a', 'tq2a')]);
      await f.store.startSteps([{ runId: 'q2', step: 'a', attempt: 7, worker: 'w9', startedAt: 150 }]);
      expect(await f.store.getStep('q2', 'a')).toMatchObject({ status: 'queued', worker: null });
      await f.store.startSteps([{ runId: 'q2', step: 'a', attempt: 1, worker: 'w1', startedAt: 150 }]);
      expect(await f.store.getStep('q2', 'a')).toMatchObject({ status: 'running', worker: 'w1', startedAt: 150, attempt: 1 });
      expect((await f.tracking.getRun('tq2a')).info.status).toBe('RUNNING');
    });

    it('finishes attempts in one batch with their tracking runs and cache entries; a superseded attempt is refused and its run KILLED', async () => {
      await f.store.createRun(run('q3'), [pending('a'), pending('b')]);
      await f.store.queueSteps([toQueue('q3', 'a', 'tq3a'), toQueue('q3', 'b', 'tq3b-dead')]);
      // b's first worker died: a redelivery queues attempt 2 with a new run and supersedes the dead one.
      expect(await f.store.queueSteps([toQueue('q3', 'b', 'tq3b', 1, 'tq3b-dead')])).toEqual([true]);
      expect(await f.store.getStep('q3', 'b')).toMatchObject({ status: 'queued', attempt: 2, trackingRunId: 'tq3b' });
      const dead = await f.tracking.getRun('tq3b-dead');
      expect(dead.info.status).toBe('KILLED');
      expect(dead.data.tags).toContainEqual({ key: 'gyre.pipeline.superseded', value: 'true' });

      const entry = { pipeline: 'p', step: 'a', cacheKey: 'k-a3', outputs: [], trackingRunId: 'tq3a', createdAt: 1 };
      const late = { ...finished('q3', 'b', 'tq3b-dead', 1, { ...entry, step: 'b', cacheKey: 'k-b3' }) };
      expect(await f.store.finishSteps([finished('q3', 'a', 'tq3a', 1, entry), late])).toEqual([true, false]);
      expect(await f.store.getStep('q3', 'a')).toMatchObject({ status: 'succeeded', worker: 'w1', startedAt: 200, endedAt: 300, outputs: [{ name: 'x', inline: '1' }] });
      const a = await f.tracking.getRun('tq3a');
      expect(a.info).toMatchObject({ status: 'FINISHED', endTime: 300 });
      expect(a.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
      expect(a.data.tags).toContainEqual({ key: 'gyre.pipeline.outputs', value: '[]' });
      expect(await f.store.lookupCache('p', 'a', 'k-a3')).toEqual(entry);
      // The late finish of the dead attempt: step untouched, no cache entry, no params on its run.
      expect(await f.store.getStep('q3', 'b')).toMatchObject({ status: 'queued', attempt: 2 });
      expect(await f.store.lookupCache('p', 'b', 'k-b3')).toBeNull();
      expect((await f.tracking.getRun('tq3b-dead')).data.params).toEqual([]);
      // A failure ends its run FAILED; finishing it again is refused.
      const failure: StepFinished = { ...finished('q3', 'b', 'tq3b', 2), status: 'failed', outputs: [], error: 'boom', params: [], tags: [] };
      expect(await f.store.finishSteps([failure])).toEqual([true]);
      expect(await f.store.getStep('q3', 'b')).toMatchObject({ status: 'failed', error: 'boom' });
      expect((await f.tracking.getRun('tq3b')).info.status).toBe('FAILED');
      expect(await f.store.finishSteps([failure])).toEqual([false]);
    });

    it('tells apart two items of one batch for the same step: only the attempt that applied is reported applied', async () => {
      await f.store.createRun(run('q4'), [pending('a')]);
      const results = await f.store.queueSteps([toQueue('q4', 'a', 'tq4-one'), toQueue('q4', 'a', 'tq4-two')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results[0] ? 'tq4-one' : 'tq4-two';
      expect((await f.store.getStep('q4', 'a')).trackingRunId).toBe(winner);
      await expect(f.tracking.getRun(winner === 'tq4-one' ? 'tq4-two' : 'tq4-one')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // Two ends of attempt 1 in one batch: only the one of the attempt's own tracking run applies.
      const stranger = { ...finished('q4', 'a', winner === 'tq4-one' ? 'tq4-two' : 'tq4-one', 1), error: 'not mine' };
      expect(await f.store.finishSteps([stranger, finished('q4', 'a', winner, 1)])).toEqual([false, true]);
      expect(await f.store.getStep('q4', 'a')).toMatchObject({ status: 'succeeded', error: null });
    });

    it('ends a run once; cancelling an ended run is INVALID_STATE', async () => {
      await f.store.createRun(run('r3'), []);
      expect(await f.store.isCancelRequested('r3')).toBe(false);
      await f.store.requestCancel('r3');
      expect((await f.store.getRun('r3')).cancelRequested).toBe(true);
      expect(await f.store.isCancelRequested('r3')).toBe(true);
      expect(await f.store.isCancelRequested('no-such-run')).toBe(false);
      expect(await f.store.finishRun('r3', 'cancelled', 'cancelled by alice', 9)).toBe(true);
      expect(await f.store.finishRun('r3', 'succeeded', null, 10)).toBe(false);
      expect(await f.store.getRun('r3')).toMatchObject({ status: 'cancelled', error: 'cancelled by alice', endedAt: 9 });
      await expect(f.store.requestCancel('r3')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    });

    it('lists runs newest first, by pipeline', async () => {
      await f.store.createRun(run('old', 1000, 'q'), []);
      await f.store.createRun(run('new', 2000, 'q'), []);
      expect((await f.store.listRuns({ pipeline: 'q', limit: 10 })).map((r) => r.runId)).toEqual(['new', 'old']);
      expect(await f.store.listRuns({ pipeline: 'q', limit: 1 })).toHaveLength(1);
    });

    it('keeps the first cache entry for a key', async () => {
      const entry = { pipeline: 'p', step: 's', cacheKey: 'k', outputs: [], trackingRunId: 't1', createdAt: 1 };
      expect(await f.store.lookupCache('p', 's', 'k')).toBeNull();
      await f.store.putCache(entry);
      await f.store.putCache({ ...entry, trackingRunId: 't2' });
      expect(await f.store.lookupCache('p', 's', 'k')).toEqual(entry);
    });
  });
}
