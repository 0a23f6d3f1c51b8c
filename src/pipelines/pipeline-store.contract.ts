/** What every PipelineStore backend must do. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStore } from './pipeline-store.js';
import type { PipelineRun, StepState } from './entities.js';

export interface PipelineStoreFixture {
  store: PipelineStore;
  cleanup(): Promise<void>;
}

const definition = { name: 'p', steps: [], module: null, root: null, digest: 'sha256:0' };
const run = (runId: string, createdAt = Date.now(), pipeline = 'p'): PipelineRun => ({
  runId, pipeline, status: 'running', trackingRunId: `t-${runId}`, definition, trigger: 'manual', force: false, cancelRequested: false, error: null, createdAt, endedAt: null,
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

    it('finishes a running step and indexes its cache entry in one go; a step not running is left alone', async () => {
      await f.store.createRun(run('r4'), [pending('s')]);
      const entry = { pipeline: 'p4', step: 's', cacheKey: 'k4', outputs: [], trackingRunId: 't', createdAt: 1 };
      expect(await f.store.finishStep('r4', 's', { status: 'succeeded', endedAt: 3 }, entry)).toBe(false);
      expect(await f.store.lookupCache('p4', 's', 'k4')).toBeNull();
      await f.store.updateStep('r4', 's', { status: 'running' }, ['pending']);
      expect(await f.store.finishStep('r4', 's', { status: 'succeeded', endedAt: 3 }, entry)).toBe(true);
      expect((await f.store.getStep('r4', 's')).status).toBe('succeeded');
      expect(await f.store.lookupCache('p4', 's', 'k4')).toEqual(entry);
    });

    it('ends a run once; cancelling an ended run is INVALID_STATE', async () => {
      await f.store.createRun(run('r3'), []);
      await f.store.requestCancel('r3');
      expect((await f.store.getRun('r3')).cancelRequested).toBe(true);
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
