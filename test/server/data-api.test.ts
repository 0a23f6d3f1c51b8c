/** /api/v1/datasets over HTTP, and the SDK's remote DataAccess against it (same behaviour as local). */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';
import { connect } from '../../src/sdk/gyre.js';
import { suite } from '../../src/data/suite-builder.js';

describe('data API', () => {
  let server: TestServer;
  let csv: string;
  beforeAll(async () => {
    server = await startTestServer('gyre-data-api-');
    csv = path.join(server.home, 'plans.csv');
    fs.writeFileSync(csv, 'id,plan\n1,free\n2,pro\n');
  });
  afterAll(async () => server.close());

  it('adds (201, then 200 for the same content), lists, gets by reference and validates', async () => {
    const first = await server.app.inject({ method: 'POST', url: '/api/v1/datasets/plans/versions', payload: { source: csv, tags: { a: 'b' } } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ created: true, version: { name: 'plans', version: 1 } });
    const again = await server.app.inject({ method: 'POST', url: '/api/v1/datasets/plans/versions', payload: { source: csv } });
    expect(again.statusCode).toBe(200);
    const digest = first.json().version.digest as string;
    const byDigest = await server.app.inject({ url: `/api/v1/datasets/plans/versions/${digest.slice(7, 15)}` });
    expect(byDigest.json().version).toBe(1);
    expect((await server.app.inject({ url: '/api/v1/datasets' })).json().datasets[0]).toMatchObject({ name: 'plans', versionCount: 1 });
    const s = suite('s').inSet('plan', ['free']).build();
    const report = await server.app.inject({ method: 'POST', url: '/api/v1/datasets/plans/versions/latest/validate', payload: { suite: s } });
    expect(report.json()).toMatchObject({ success: false, results: [{ unexpectedCount: 1, sample: [{ row: 2, value: 'pro' }] }] });
    const html = await server.app.inject({ method: 'POST', url: '/api/v1/datasets/plans/versions/1/validate?format=html', payload: { suite: s } });
    expect(html.headers['content-type']).toContain('text/html');
  });

  it('answers errors in the native format', async () => {
    const missing = await server.app.inject({ url: '/api/v1/datasets/nope/versions/1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/datasets/plans/versions/1/validate', payload: { suite: { expectations: [{ type: 'expect_column_to_exist' }] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain("expectation #1 (expect_column_to_exist): missing required argument 'column'");
  });

  it('serves the SDK remotely, and a run records the exact version it read', async () => {
    const url = await server.listen();
    const gyre = await connect({ url });
    try {
      const v = await gyre.data.get('plans@latest');
      expect((await gyre.data.inferSuite('plans@1')).expectations.length).toBeGreaterThan(3);
      expect((await gyre.data.diff('plans@1', 'plans@latest')).sameContent).toBe(true);
      expect(await gyre.data.profile('plans@1')).toEqual(v.profile);
      const run = await gyre.startRun({ experiment: 'data-lineage' });
      await run.logDatasetVersion(v, 'training');
      const input = (await run.get()).inputs.datasetInputs[0];
      expect(input.dataset).toMatchObject({ name: 'plans', digest: v.digest.slice(7, 39), source: 'plans@1', sourceType: 'gyre-dataset' });
      expect(input.tags).toEqual([{ key: 'mlflow.data.context', value: 'training' }]);
      expect((await gyre.data.get(`plans@${input.dataset.digest}`)).digest).toBe(v.digest);
      expect((await gyre.data.get(`plans@sha256:${v.digest.slice(7, 11)}`)).version).toBe(1);
    } finally {
      await gyre.close();
    }
  });
});
