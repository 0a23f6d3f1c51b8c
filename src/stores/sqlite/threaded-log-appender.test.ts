/**
 * The inference log written from a worker thread on SQLite: every record of a deployment that is
 * closed right after serving is on disk, intact, when the store is opened again; batches of any
 * size arrive whole, every column intact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openServices } from '../../services.js';
import { resolveConfig } from '../../core/config.js';
import { tempDir } from '../../test-support/test-databases.js';
import { linearModel } from '../../test-support/tiny-onnx.js';
import { openSqlite } from './open-sqlite.js';
import { ThreadedLogAppender } from './threaded-log-appender.js';
import { SqlInferenceLogStore } from '../sql/sql-inference-log-store.js';
import type { InferenceRecord } from '../../serving/inference-log/entities.js';

describe('threaded inference-log appender (SQLite)', () => {
  const home = tempDir('gyre-threaded-log-');
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('loses no record when the process closes right after serving', async () => {
    const config = resolveConfig({ home, remoteUrl: null });
    const first = await openServices(config);
    await first.models.register({ name: 'm', onnx: linearModel([2, 0, 0], 0), alias: 'champion' }, { user: 'alice' });
    await first.serving.deployments.create('d', { model: 'm@champion' }, { user: 'alice' });
    const manager = first.serving.start({ pollMs: 3_600_000 });
    await manager.sync();
    for (let i = 0; i < 700; i++) {
      const body = { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [i, 0, 0] }] };
      // Half as parsed values, half with the body's text as an HTTP transport passes it.
      await manager.infer('d', undefined, body, { headers: {}, requestId: `r${i}`, ...(i % 2 ? { requestJson: JSON.stringify(body) } : {}) });
    }
    await first.close();

    const again = await openServices(config);
    try {
      expect((await again.serving.inferenceLog.count('d', 0, Date.now() + 1)).primary).toBe(700);
      const rows = await again.serving.inferenceLog.readWindow({ deployment: 'd', from: 0, to: Date.now() + 1, limit: 1000 });
      const last = rows.find((r) => r.requestId === 'r699')!;
      expect(last.inputs).toEqual({ x: [699, 0, 0] });
      expect(last.modelVersion).toBe('1');
      expect(rows.find((r) => r.requestId === 'r698')!.inputs).toEqual({ x: [698, 0, 0] });
    } finally {
      await again.close();
    }
  });
});

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('threaded inference-log appender, batches', () => {
  it('writes batches of 1, 50 and 123 records with every column intact', async () => {
    const dir = tempDir('gyre-log-appender-');
    dirs.push(dir);
    const file = path.join(dir, 'gyre.db');
    const { db } = openSqlite(file);
    const appender = new ThreadedLogAppender(file);
    try {
      const record = (i: number): InferenceRecord => ({
        deployment: 'bikes', requestId: `r-${i}`, timestamp: 1_000 + i, modelName: 'bike-demand', modelVersion: String(1 + (i % 2)), variant: i % 3 === 0 ? 'shadow' : 'primary',
        inputs: [{ temp: i / 10, season: `s${i % 4}` }], outputs: { predictions: [i * 2] }, latencyMs: i / 100,
      });
      const all = Array.from({ length: 174 }, (_, i) => record(i));
      await appender.append(all.slice(0, 1));
      await appender.append(all.slice(1, 51));
      await appender.append(all.slice(51));
      const read = await new SqlInferenceLogStore(db, 'sqlite').readWindow({ deployment: 'bikes', from: 0, to: 10_000 });
      const strip = (r: InferenceRecord) => ({ deployment: r.deployment, requestId: r.requestId, timestamp: r.timestamp, modelName: r.modelName, modelVersion: r.modelVersion, variant: r.variant, inputs: r.inputs, outputs: r.outputs, latencyMs: r.latencyMs });
      expect(read.map(strip).sort((a, b) => a.timestamp - b.timestamp)).toEqual(all.map(strip));
    } finally {
      await appender.close();
      await db.destroy();
    }
  });
});
