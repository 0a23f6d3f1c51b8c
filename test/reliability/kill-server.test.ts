/**
 * `kill -9` of the server while 20 clients log: after a restart the database opens cleanly, every
 * batch that got a 200 is there whole, and no batch is half-written.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { startServerProcess } from '../support/server-process.js';
import { tempDir } from '../../src/test-support/test-databases.js';

const CLIENTS = 20;
const POINTS_PER_BATCH = 200;

async function post(url: string, endpoint: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/api/2.0/mlflow/${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('server killed with SIGKILL under load', () => {
  const home = tempDir('gyre-kill-');
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('keeps every acknowledged batch whole and no partial batch', async () => {
    let server = await startServerProcess(home);
    const exp = await post(server.url, 'experiments/create', { name: 'kill-test' });
    const runIds: string[] = [];
    for (let c = 0; c < CLIENTS; c++) runIds.push((await post(server.url, 'runs/create', { experiment_id: exp.json.experiment_id, start_time: Date.now() })).json.run.info.run_id);

    const acked = runIds.map(() => new Set<number>());
    const attempted = runIds.map(() => 0);
    let killed = false;
    const client = async (c: number) => {
      for (let batch = 0; !killed; batch++) {
        attempted[c] = batch + 1;
        const metrics = Array.from({ length: POINTS_PER_BATCH }, (_, i) => ({ key: 'm', value: batch, timestamp: Date.now(), step: batch * POINTS_PER_BATCH + i }));
        try {
          const res = await post(server.url, 'runs/log-batch', { run_id: runIds[c], metrics, params: [{ key: `b${batch}`, value: String(batch) }] });
          if (res.status === 200) acked[c].add(batch);
        } catch {
          return; // connection refused or reset: the server is gone
        }
      }
    };
    const load = Promise.all(runIds.map((_, c) => client(c)));
    await new Promise((r) => setTimeout(r, 1500));
    killed = true;
    await server.stop('SIGKILL');
    await load;
    const totalAcked = acked.reduce((s, a) => s + a.size, 0);
    expect(totalAcked).toBeGreaterThan(CLIENTS); // the load really ran

    // The file opens cleanly and passes SQLite's own integrity check.
    const raw = new Database(path.join(home, 'gyre.db'));
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    server = await startServerProcess(home);
    try {
      for (let c = 0; c < CLIENTS; c++) {
        const res = await fetch(`${server.url}/api/2.0/mlflow/metrics/get-history?run_id=${runIds[c]}&metric_key=m`);
        const history = ((await res.json()) as { metrics?: { value: number; step: number }[] }).metrics ?? [];
        const perBatch = new Map<number, number>();
        for (const p of history) perBatch.set(p.value, (perBatch.get(p.value) ?? 0) + 1);
        for (const batch of acked[c]) expect(perBatch.get(batch), `run ${c} batch ${batch} acknowledged`).toBe(POINTS_PER_BATCH);
        for (const [batch, count] of perBatch) expect(count, `run ${c} batch ${batch} whole or absent`).toBe(POINTS_PER_BATCH);
        // Params of the same batch are in the same transaction: present exactly for stored batches.
        const run = (await (await fetch(`${server.url}/api/2.0/mlflow/runs/get?run_id=${runIds[c]}`)).json()) as { run: { data: { params?: { key: string }[] } } };
        const paramBatches = new Set((run.run.data.params ?? []).map((p) => Number(p.key.slice(1))));
        expect(paramBatches).toEqual(new Set(perBatch.keys()));
        expect(perBatch.size).toBeLessThanOrEqual(attempted[c]);
      }
      // And the restarted server takes new writes.
      expect((await post(server.url, 'runs/log-metric', { run_id: runIds[0], key: 'after', value: 1, timestamp: Date.now() })).status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
