/**
 * Deployments live: real ONNX Runtime sessions, a real SQLite store and inference log, and a
 * model source whose aliases move under load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlDatabase } from '../../stores/sql-database.js';
import type { SqlDatabase } from '../../stores/sql-database.js';
import { SqlDeploymentStore } from '../../stores/sql/sql-deployment-store.js';
import { SqlInferenceLogStore } from '../../stores/sql/sql-inference-log-store.js';
import { InferenceLogWriter } from '../../serving/inference-log/inference-log-writer.js';
import { DeploymentManager } from '../../serving/deployments/deployment-manager.js';
import type { ServingEvent } from '../../serving/deployments/deployment-runtime.js';
import type { DeploymentSpec } from '../../serving/deployments/entities.js';
import { MapModelSource } from '../../test-support/map-model-source.js';
import { linearModel } from '../../test-support/tiny-onnx.js';
import { tempDir } from '../../test-support/test-databases.js';

const by = (action: string) => ({ at: Date.now(), user: 'alice', action, reason: null });
const single = (model: string): DeploymentSpec => ({ strategy: 'single', variants: [{ name: 'stable', model, weight: 100 }] });
const request = { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 0, 0] }] };
const noHeaders = { headers: {} };

describe('deployments (real ONNX Runtime, SQLite)', () => {
  let sql: SqlDatabase;
  let store: SqlDeploymentStore;
  let logStore: SqlInferenceLogStore;
  let log: InferenceLogWriter;
  let manager: DeploymentManager;
  const source = new MapModelSource();
  const events: ServingEvent[] = [];

  beforeAll(async () => {
    sql = await openSqlDatabase('sqlite:', tempDir());
    store = new SqlDeploymentStore(sql.db);
    logStore = new SqlInferenceLogStore(sql.db, sql.dialect);
    log = new InferenceLogWriter(logStore, { flushIntervalMs: 60_000 });
    // Version v answers v × x[0], so every answer says which version produced it.
    for (const v of [1, 2, 3]) source.add('bikes', v, linearModel([v, 0, 0], 0));
    source.versions.set('bikes/9', new TextEncoder().encode('corrupt'));
    source.setAlias('bikes', 'champion', 1);
    manager = new DeploymentManager(store, { source, log, onEvent: (e) => events.push(e) });
  });
  afterAll(async () => {
    await manager.stop();
    await log.close();
    await sql.close();
  });

  const answer = async (name: string, version?: string) => {
    const r = await manager.infer(name, version, request, noHeaders);
    return { version: r.model_version, value: r.outputs[0]!.data[0] };
  };

  it('serves the alias holder, and follows the alias when it moves, with zero failed requests under load', async () => {
    await store.create('bikes', single('bikes@champion'), by('create'));
    await manager.sync();
    expect(manager.allReady()).toBe(true);
    expect(await answer('bikes')).toEqual({ version: '1', value: 1 });

    let stop = false;
    const seen: { version: string | undefined; value: unknown }[] = [];
    const failures: unknown[] = [];
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!stop) await answer('bikes').then((a) => seen.push(a), (e) => failures.push(e));
      }),
    );
    await new Promise((r) => setTimeout(r, 50));
    source.setAlias('bikes', 'champion', 2);
    await manager.sync();
    await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await load;
    expect(failures).toEqual([]);
    // Every answer is tagged with the version that computed it.
    expect(seen.every((a) => Number(a.version) === a.value)).toBe(true);
    expect(new Set(seen.map((a) => a.version))).toEqual(new Set(['1', '2']));
    expect(await answer('bikes')).toEqual({ version: '2', value: 2 });
    expect(events.some((e) => e.type === 'traffic_switched' && e.deployment === 'bikes')).toBe(true);
  });

  it('keeps serving the current version when the new one fails to load, and says so', async () => {
    source.aliases.set('bikes@champion', 'bikes/9');
    await manager.sync();
    expect(await answer('bikes')).toEqual({ version: '2', value: 2 });
    const failed = events.filter((e) => e.type === 'model_load_failed').at(-1)!;
    expect(failed.detail.error).toMatch(/cannot load this model/);
    source.setAlias('bikes', 'champion', 2);
  });

  it('splits a canary, answers pinned versions, and mirrors the shadow into the log without returning it', async () => {
    const d = await store.get('bikes');
    const spec: DeploymentSpec = {
      strategy: 'canary',
      variants: [{ name: 'stable', model: 'bikes/2', weight: 50 }, { name: 'canary', model: 'bikes/3', weight: 50 }],
      shadow: { model: 'bikes/1', percent: 100 },
      stickyHeader: 'x-user',
    };
    await store.update('bikes', d.spec, spec, by('canary'));
    await manager.sync();
    const versions = new Set<string>();
    for (let i = 0; i < 40; i++) versions.add((await manager.infer('bikes', undefined, request, { headers: { 'x-user': `u${i}` }, requestId: `r${i}` })).model_version!);
    expect(versions).toEqual(new Set(['2', '3']));
    // One user keeps one variant.
    const sticky = new Set<string>();
    for (let i = 0; i < 10; i++) sticky.add((await manager.infer('bikes', undefined, request, { headers: { 'x-user': 'same' } })).model_version!);
    expect(sticky.size).toBe(1);
    expect(await answer('bikes', '3')).toEqual({ version: '3', value: 3 });
    expect(() => manager.checkReady('bikes', '1')).toThrow(/does not serve version '1'/);
    await new Promise((r) => setTimeout(r, 20));
    await log.flush();
    const window = await logStore.readWindow({ deployment: 'bikes', from: 0, to: Date.now() + 1 });
    const shadowOfR0 = window.find((r) => r.requestId === 'r0' && r.variant === 'shadow');
    expect(shadowOfR0).toMatchObject({ modelVersion: '1', outputs: { y: [1] } });
    expect(window.find((r) => r.requestId === 'r0' && r.variant === 'primary')!.modelVersion).not.toBe('1');
  });

  it('stops serving a deleted deployment', async () => {
    await store.delete('bikes', by('delete'));
    await manager.sync();
    await expect(answer('bikes')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
