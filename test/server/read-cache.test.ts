/**
 * Cached reads never lag the store: a write through this server, or a commit by another process
 * on the same SQLite file, is visible to the very next identical search or history read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openTrackingStore } from '../../src/stores/open-stores.js';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';

describe('read cache of run searches and metric histories', () => {
  let server: TestServer;
  let home: string;
  let app: FastifyInstance;
  let experimentId: string;

  beforeAll(async () => {
    server = await startTestServer();
    ({ home, app } = server);
    experimentId = await server.services.tracking.createExperiment({ name: 'cache' });
  });
  afterAll(() => server.close());

  const mlflow = async (method: 'GET' | 'POST', endpoint: string, body: Record<string, unknown>) => {
    const res = await app.inject(
      method === 'GET'
        ? { method, url: `/api/2.0/mlflow/${endpoint}?${new URLSearchParams(body as Record<string, string>)}` }
        : { method, url: `/api/2.0/mlflow/${endpoint}`, payload: body },
    );
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const search = async () => ((await mlflow('POST', 'runs/search', { experiment_ids: [experimentId] })).runs ?? []).length;
  const nativeSearch = async () =>
    (await app.inject({ method: 'POST', url: '/api/v1/runs/search', payload: { experimentIds: [experimentId] } })).json().runs.length;

  it('sees writes made through this server at once', async () => {
    expect(await search()).toBe(0);
    expect(await nativeSearch()).toBe(0);
    const run = await mlflow('POST', 'runs/create', { experiment_id: experimentId });
    expect(await search()).toBe(1);
    expect(await nativeSearch()).toBe(1);

    const runId = run.run.info.run_id;
    const history = async () => ((await mlflow('GET', 'metrics/get-history', { run_id: runId, metric_key: 'm' })).metrics ?? []).length;
    expect(await history()).toBe(0);
    await mlflow('POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: 1, step: 0 });
    expect(await history()).toBe(1);
    await mlflow('POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 2, timestamp: 2, step: 1 });
    expect(await history()).toBe(2);
  });

  it('sees commits by another connection to the same database file', async () => {
    const before = await search();
    const other = await openTrackingStore(`sqlite:${path.join(home, 'gyre.db')}`, home);
    try {
      await other.createRun({ experimentId, runName: 'from-elsewhere' });
    } finally {
      await other.close();
    }
    expect(await search()).toBe(before + 1);
  });
});
