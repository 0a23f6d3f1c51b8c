/** The SDK as a user writes against it, in local mode and against a remote server (GYRE_URL). */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { connect } from '../../src/sdk/gyre.js';
import type { Gyre } from '../../src/sdk/gyre.js';
import { tempDir } from '../../src/test-support/test-databases.js';
import { startTestServer } from '../../src/test-support/test-server.js';
import { linearModel } from '../../src/test-support/tiny-onnx.js';

async function readText(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString();
  return text;
}

const modes: { name: string; open: () => Promise<{ gyre: Gyre; cleanup: () => Promise<void> }> }[] = [
  {
    name: 'local (GYRE_HOME)',
    open: async () => {
      const home = tempDir('gyre-sdk-');
      const gyre = await connect({ home, remoteUrl: null });
      return { gyre, cleanup: async () => (await gyre.close(), fs.rmSync(home, { recursive: true, force: true })) };
    },
  },
  {
    name: 'remote (GYRE_URL)',
    open: async () => {
      const server = await startTestServer('gyre-sdk-srv-');
      const gyre = await connect({ url: await server.listen() });
      return { gyre, cleanup: async () => (await gyre.close(), await server.close()) };
    },
  },
];

for (const mode of modes) {
  describe(`SDK, ${mode.name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups) await c();
    });

    it('starts a run in a named experiment, logs, uploads an artifact and ends it', async () => {
      const { gyre, cleanup } = await mode.open();
      cleanups.push(cleanup);
      const run = await gyre.startRun({ experiment: 'sdk-test', runName: 'first', tags: { team: 'ml' } });
      await run.logParams({ lr: 0.1, model: 'gbdt', early_stop: true });
      await run.logMetric('loss', 0.9);
      await run.logMetric('loss', 0.5);
      await run.logMetric('loss', Number.NaN);
      await run.logMetrics({ rmse: 41.5, mae: 30 }, 7);
      const file = path.join(tempDir('gyre-sdk-file-'), 'report.txt');
      fs.writeFileSync(file, 'x'.repeat(100_000));
      await run.logArtifact(file, 'reports/report.txt');
      await run.logText('notes.md', '# notes');
      await run.end('FINISHED');

      const stored = await run.get();
      expect(stored.info).toMatchObject({ runName: 'first', status: 'FINISHED' });
      expect(stored.data.params).toEqual([
        { key: 'early_stop', value: 'true' },
        { key: 'lr', value: '0.1' },
        { key: 'model', value: 'gbdt' },
      ]);
      const history = await gyre.tracking.getMetricHistory(run.id, 'loss');
      expect(history.items.map((m) => m.step)).toEqual([0, 1, 2]);
      expect(history.items[2].value).toBeNaN();
      expect(stored.data.metrics.find((m) => m.key === 'rmse')).toMatchObject({ value: 41.5, step: 7 });
      expect(stored.data.tags).toContainEqual({ key: 'team', value: 'ml' });

      const root = await gyre.artifacts.list(run.id);
      expect(root.files.map((f) => f.path)).toEqual(['notes.md', 'reports']);
      expect((await gyre.artifacts.list(run.id, 'reports')).files).toEqual([expect.objectContaining({ path: 'reports/report.txt', size: 100_000 })]);
      expect(await readText(await gyre.artifacts.download(run.id, 'reports/report.txt'))).toBe('x'.repeat(100_000));
      await expect(gyre.artifacts.download(run.id, 'missing.txt')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(gyre.artifacts.upload(run.id, '../escape.txt', 'x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });

      const child = await gyre.startRun({ experiment: 'sdk-test', parentRunId: run.id });
      const found = await gyre.tracking.searchRuns({ experimentIds: [run.experimentId], filter: `tags.mlflow.parentRunId = '${run.id}'` });
      expect(found.items.map((r) => r.info.runId)).toEqual([child.id]);
    });

    it('reports a changed param as a CONFLICT GyreError', async () => {
      const { gyre, cleanup } = await mode.open();
      cleanups.push(cleanup);
      const run = await gyre.startRun();
      await run.logParams({ lr: 0.1 });
      await expect(run.logParams({ lr: 0.2 })).rejects.toMatchObject({ name: 'GyreError', code: 'CONFLICT' });
    });

    it('deploys a model and moves it through a canary, a shadow and a rollback, every change recorded with who and why', async () => {
      const { gyre, cleanup } = await mode.open();
      cleanups.push(cleanup);
      const alice = { user: 'alice', reason: null };
      await gyre.models.register({ name: 'lin', onnx: linearModel([1, 0, 0], 0), alias: 'champion' }, alice);
      await gyre.models.register({ name: 'lin', onnx: linearModel([2, 0, 0], 0) }, alice);
      expect((await gyre.deployments.create('lin', { model: 'lin@champion' }, { user: 'alice', reason: 'first release' })).spec.variants.map((v) => v.model)).toEqual(['lin@champion']);
      await gyre.deployments.canary('lin', 'lin/2', 10, { user: 'bob', reason: 'retrained' });
      expect((await gyre.deployments.stepCanary('lin', 50, alice)).spec.variants.map((v) => [v.model, v.weight])).toEqual([['lin@champion', 50], ['lin/2', 50]]);
      expect((await gyre.deployments.promote('lin', alice)).spec.variants.map((v) => v.model)).toEqual(['lin/2']);
      expect((await gyre.deployments.shadow('lin', 'lin/1', 20, alice)).spec.shadow).toEqual({ model: 'lin/1', percent: 20 });
      expect((await gyre.deployments.shadow('lin', null, 0, { user: 'alice', reason: 'compared enough' })).spec.shadow).toBeUndefined();
      expect((await gyre.deployments.rollback('lin', alice)).spec.shadow).toEqual({ model: 'lin/1', percent: 20 });
      expect((await gyre.deployments.list()).map((d) => d.name)).toEqual(['lin']);
      const history = await gyre.deployments.history('lin');
      expect(history.map((c) => c.action).reverse()).toEqual(['create', 'canary', 'canary-step', 'promote', 'shadow', 'shadow-off', 'rollback']);
      expect(history.find((c) => c.action === 'canary')).toMatchObject({ user: 'bob', reason: 'retrained' });
      expect(history.find((c) => c.action === 'shadow-off')).toMatchObject({ user: 'alice', reason: 'compared enough' });
      await expect(gyre.deployments.canary('lin', 'nope@champion', 10, alice)).rejects.toMatchObject({ name: 'GyreError', code: 'NOT_FOUND' });
      await gyre.deployments.delete('lin', alice);
      await expect(gyre.deployments.get('lin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}

describe('SDK, local', () => {
  it('close() releases the embedded database', async () => {
    const home = tempDir('gyre-sdk-close-');
    try {
      const gyre = await connect({ home, remoteUrl: null });
      await gyre.tracking.ensureExperiment('before-close');
      await gyre.close();
      await expect(gyre.tracking.ensureExperiment('after-close')).rejects.toThrow();
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
