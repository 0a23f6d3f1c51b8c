/**
 * Monitoring over HTTP, end to end on live traffic: a registered ONNX model served by real ONNX
 * Runtime through the records endpoint, labels posted later, a reference profile fitted from the
 * first traffic of the inference log, a count-window monitor run on demand, then its results,
 * series, alerts, /metrics gauges and the HTML report; bad requests are clear 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';
import { linearModel } from '../../src/test-support/tiny-onnx.js';

const manifest = {
  task: 'regression',
  inputs: [
    { name: 'temp', type: 'number', tensor: 'x', column: 0 },
    { name: 'hum', type: 'number', tensor: 'x', column: 1 },
  ],
  inputExample: [{ temp: 1, hum: 0 }],
  metrics: { rmse: 0.5 },
};
const until = async (check: () => Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('monitoring API on live traffic (real ONNX Runtime)', () => {
  let server: TestServer;
  let n = 0;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => server.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const get = (url: string) => server.app.inject({ method: 'GET', url });
  async function traffic(count: number, temp: (i: number) => number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const id = `live-${++n}`;
      const t = temp(i);
      const res = await post('/api/v1/deployments/bikes/predict', { records: [{ temp: t, hum: (i % 10) / 10 }] }, { 'x-request-id': id });
      expect(res.statusCode).toBe(200);
      await post('/api/v1/deployments/bikes/labels', { labels: [{ requestId: id, label: t + 2 }] });
    }
    const total = n;
    await until(async () => (await server.services.serving.inferenceLog.count('bikes', 0, Date.now() + 1)).primary >= total);
  }

  beforeAll(async () => {
    server = await startTestServer();
    await server.services.models.register({ name: 'bikes', onnx: linearModel([1, 0], 0), manifest, alias: 'champion' }, { user: 'alice' });
    await server.services.serving.deployments.create('bikes', { model: 'bikes@champion' }, { user: 'alice' });
    server.services.serving.start({ pollMs: 50 });
    await until(async () => server.services.serving.manager()!.allReady() && server.services.serving.manager()!.names().includes('bikes'));
  });
  afterAll(() => server.close());

  it('fits a profile from the inference log, runs a monitor, and answers results, series, alerts, gauges and a report', async () => {
    const start = Date.now();
    await traffic(40, (i) => (i * 7) % 20);
    const profile = await post('/api/v1/monitor-profiles', { name: 'first-traffic', deployment: 'bikes', from: start - 1, to: Date.now() + 1 });
    expect(profile.statusCode).toBe(201);
    expect(profile.json()).toMatchObject({ name: 'first-traffic', rowCount: 40 });
    const created = await post('/api/v1/monitors', {
      name: 'bikes-live',
      deployment: 'bikes',
      profile: 'first-traffic',
      window: { kind: 'count', rows: 20 },
      startAt: Date.now() + 1,
      rules: [{ kind: 'feature_drift', feature: 'temp' }, { kind: 'performance', metric: 'rmse', worseBy: 0.2 }, { kind: 'prediction_drift' }],
    });
    expect(created.statusCode).toBe(201);
    await new Promise((r) => setTimeout(r, 5));
    await traffic(20, (i) => (i * 7) % 20); // like the reference
    await traffic(20, (i) => 30 + (i % 10)); // shifted
    const run = await post('/api/v1/monitors/bikes-live/run', {});
    expect(run.json()).toEqual({ monitor: 'bikes-live', windows: 2, error: null });

    const results = (await get('/api/v1/monitors/bikes-live/results')).json().windows;
    expect(results).toHaveLength(2);
    const drift = (await get('/api/v1/monitors/bikes-live/series?metric=drift_detected&feature=temp')).json();
    expect(drift.points.map((p: { value: number }) => p.value)).toEqual([0, 1]);
    const rmse = (await get('/api/v1/monitors/bikes-live/series?metric=rmse')).json();
    expect(rmse.points.map((p: { value: number }) => p.value)).toEqual([2, 2]);
    const alerts = (await get('/api/v1/monitor-alerts?monitor=bikes-live&status=firing')).json().alerts;
    expect(alerts.map((a: { rule: string }) => a.rule).sort()).toEqual(['feature_drift:temp', 'performance:rmse', 'prediction_drift']);

    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(/gyre_feature_drift_score\{deployment="bikes",feature="temp",method="ks"\} /);
    expect(metrics).toMatch(/gyre_prediction_drift_score\{deployment="bikes",method="ks"\} /);
    const report = await get('/api/v1/monitors/bikes-live/report');
    expect(report.headers['content-type']).toMatch(/text\/html/);
    expect(report.body).toMatch(/<svg/);
    expect(report.body).toMatch(/Distributions: reference vs latest window/);
    expect(report.body).not.toMatch(/<script/);
  });

  it('answers bad requests with a clear 4xx that names the problem', async () => {
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', '/api/v1/monitors', { name: 'x', deployment: 'bikes', profile: 'first-traffic', window: { kind: 'weekly' }, rules: [] }, 400, /"window" is/],
      ['POST', '/api/v1/monitors', { name: 'x', deployment: 'nope', profile: 'first-traffic', window: { kind: 'count', rows: 5 }, rules: [] }, 404, /Deployment 'nope'/],
      ['POST', '/api/v1/monitors', { name: 'bikes-live', deployment: 'bikes', profile: 'first-traffic', window: { kind: 'count', rows: 5 }, rules: [] }, 409, /already exists/],
      ['POST', '/api/v1/monitor-profiles', { name: 'p' }, 400, /fitted from "dataset"/],
      ['POST', '/api/v1/monitor-profiles', { name: 'empty', deployment: 'bikes', from: 0, to: 1 }, 400, /logged no predictions/],
      ['GET', '/api/v1/monitors/nope', undefined, 404, /Monitor 'nope' does not exist/],
      ['GET', '/api/v1/monitors/bikes-live/series', undefined, 400, /'metric' is required/],
      ['GET', '/api/v1/monitor-alerts?status=open', undefined, 400, /'firing' or 'resolved'/],
      ['POST', '/api/v1/monitors/nope/run', {}, 404, /Monitor 'nope'/],
    ];
    for (const [method, url, payload, status, message] of cases) {
      const res = await server.app.inject({ method: method as 'GET' | 'POST', url, ...(payload ? { payload: payload as object } : {}) });
      expect([url, res.statusCode]).toEqual([url, status]);
      expect(res.json().error.message).toMatch(message);
    }
    expect((await get('/api/v1/monitors')).json().monitors.map((m: { name: string }) => m.name)).toEqual(['bikes-live']);
  });
});
