/** The native API's edges: health, bad input answered with the right status and nothing written. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../src/services.js';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';

describe('native API /api/v1', () => {
  let server: TestServer;
  let home: string;
  let services: Services;
  let app: FastifyInstance;
  let runId: string;

  beforeAll(async () => {
    server = await startTestServer();
    ({ home, services, app } = server);
    runId = (await services.tracking.createRun({ experimentId: '0' })).info.runId;
  });
  afterAll(() => server.close());

  const json = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: string) =>
    app.inject({ method, url, payload, headers: { 'content-type': 'application/json' } });

  it('answers /health with the version', async () => {
    const res = await app.inject('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
  });

  it('refuses malformed JSON, wrong types and missing fields with 400 INVALID_ARGUMENT', async () => {
    for (const [url, body] of [
      [`/api/v1/runs/${runId}/batch`, '{"metrics": ['],
      [`/api/v1/runs/${runId}/batch`, '{"metrics": "lots"}'],
      [`/api/v1/runs/${runId}/batch`, '{"metrics": [{"key": "m", "value": 1}]}'],
      [`/api/v1/runs/${runId}/batch`, '{"params": [{"key": "p", "value": 3}]}'],
      [`/api/v1/runs/${runId}/batch`, '{"metrics": [{"key": "m", "value": "lots", "timestamp": 1}]}'],
      ['/api/v1/experiments', '{"name": 42}'],
      ['/api/v1/runs/search', '{"experimentIds": ["0"], "filter": "metrics.x >"}'],
    ] as const) {
      const res = await json('POST', url, body);
      expect(res.statusCode, `${url} ${body}`).toBe(400);
      expect(res.json().error.code).toBe('INVALID_ARGUMENT');
      expect(res.json().error.message.length).toBeGreaterThan(10);
    }
    const run = await services.tracking.getRun(runId);
    expect(run.data.metrics).toEqual([]);
    expect(run.data.params).toEqual([]);
  });

  it('answers unknown ids with 404 NOT_FOUND and unknown routes with 404', async () => {
    const res = await app.inject(`/api/v1/runs/${'f'.repeat(32)}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', details: { runId: 'f'.repeat(32) } });
    expect((await app.inject('/api/v1/nothing-here')).statusCode).toBe(404);
  });

  it('answers a duplicate experiment with 409 ALREADY_EXISTS and a changed param with 409 CONFLICT', async () => {
    expect((await json('POST', '/api/v1/experiments', '{"name": "dup"}')).statusCode).toBe(201);
    const dup = await json('POST', '/api/v1/experiments', '{"name": "dup"}');
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('ALREADY_EXISTS');
    expect((await json('POST', `/api/v1/runs/${runId}/batch`, '{"params": [{"key": "lr", "value": "0.1"}]}')).statusCode).toBe(204);
    const changed = await json('POST', `/api/v1/runs/${runId}/batch`, '{"params": [{"key": "lr", "value": "0.2"}]}');
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.message).toContain("'lr'");
  });

  it('streams artifacts up and down and refuses path traversal without writing', async () => {
    const up = await app.inject({ method: 'PUT', url: `/api/v1/runs/${runId}/artifacts/reports/a.txt`, payload: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(up.statusCode).toBe(201);
    const down = await app.inject(`/api/v1/runs/${runId}/artifacts/reports/a.txt`);
    expect(down.body).toBe('hello');
    const list = await app.inject(`/api/v1/runs/${runId}/artifacts?path=reports`);
    expect(list.json().files).toEqual([expect.objectContaining({ path: 'reports/a.txt', isDir: false, size: 5 })]);
    for (const bad of ['..%2F..%2Fescape.txt', 'a/%252e%252e/%252e%252e/escape.txt', '%2e%2e%5c%2e%2e%5cescape.txt']) {
      const res = await app.inject({ method: 'PUT', url: `/api/v1/runs/${runId}/artifacts/${bad}`, payload: 'x', headers: { 'content-type': 'text/plain' } });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('INVALID_ARGUMENT');
    }
    // Dot segments that are decoded before routing resolve to another URL: no route, nothing written.
    const dotted = await app.inject({ method: 'PUT', url: `/api/v1/runs/${runId}/artifacts/%2e%2e/%2e%2e/escape.txt`, payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect([400, 404]).toContain(dotted.statusCode);
    const root = await app.inject(`/api/v1/runs/${runId}/artifacts`);
    expect(root.json().files.map((f: { path: string }) => f.path)).toEqual(['reports']);
    expect(fs.existsSync(`${home}/escape.txt`)).toBe(false);
  });
});

describe('OpenAPI', () => {
  it('describes the native API at /api/v1/openapi.json and nothing else', async () => {
    const { app, close } = await startTestServer();
    try {
      const res = await app.inject('/api/v1/openapi.json');
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toMatch(/^3\./);
      const paths = Object.keys(doc.paths);
      expect(paths).toContain('/api/v1/runs/search');
      expect(paths).toContain('/api/v1/runs/{id}/batch');
      expect(paths.every((p) => p.startsWith('/api/v1/'))).toBe(true);
      expect(doc.paths['/api/v1/experiments'].post.requestBody.content['application/json'].schema.required).toEqual(['name']);
    } finally {
      await close();
    }
  });
});
