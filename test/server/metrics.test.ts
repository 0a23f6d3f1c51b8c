/** /metrics speaks Prometheus' text format and counts requests by route template, not raw URL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';

describe('/metrics', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startTestServer()));
  afterAll(() => server.close());

  it('exposes request durations by route template and status, and process metrics', async () => {
    await server.app.inject('/api/2.0/mlflow/experiments/get?experiment_id=0');
    await server.app.inject('/api/2.0/mlflow/experiments/get?experiment_id=424242');
    const res = await server.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toMatch(/gyre_http_request_duration_seconds_count\{method="GET",route="\/api\/2\.0\/mlflow\/experiments\/get",status="200"\} 1/);
    expect(res.body).toMatch(/gyre_http_request_duration_seconds_count\{method="GET",route="\/api\/2\.0\/mlflow\/experiments\/get",status="404"\} 1/);
    expect(res.body).toMatch(/^gyre_process_resident_memory_bytes \d+/m);
  });
});
