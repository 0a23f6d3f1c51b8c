/**
 * Serving end to end: a registered ONNX package deployed by alias, answered over OIP v2 and the
 * records endpoint by real ONNX Runtime, following the alias when it moves, logging to the
 * inference log, taking labels, and staying healthy through a corpus of bad requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';
import { linearModel } from '../../src/test-support/tiny-onnx.js';

const alice = { user: 'alice' };
const manifest = { task: 'regression', inputs: ['temp', 'hum', 'wind'].map((name, column) => ({ name, type: 'number', tensor: 'x', column })), inputExample: [{ temp: 1, hum: 0, wind: 0 }] };
const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('serving deployments (real ONNX Runtime)', () => {
  let server: TestServer;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => server.app.inject({ method: 'POST', url, payload: payload as object, headers });

  beforeAll(async () => {
    server = await startTestServer();
    const { models, serving } = server.services;
    await models.register({ name: 'bikes', onnx: linearModel([1, 0, 0], 0), manifest, alias: 'champion' }, alice);
    await models.register({ name: 'bikes', onnx: linearModel([2, 0, 0], 0), manifest }, alice);
    await serving.deployments.create('bikes', { model: 'bikes@champion' }, alice);
    serving.start({ pollMs: 50 });
    await until(() => server.services.serving.manager()!.allReady() && server.services.serving.manager()!.names().includes('bikes'));
  });
  afterAll(() => server.close());

  it('answers OIP v2 with the version that served, and describes the model', async () => {
    expect((await server.app.inject('/v2/health/ready')).statusCode).toBe(200);
    const meta = (await server.app.inject('/v2/models/bikes')).json();
    expect(meta).toMatchObject({ name: 'bikes', versions: ['1'], inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }] });
    const res = await post('/v2/models/bikes/infer', { id: 'r-1', inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP32', data: [[3, 0, 0], [4, 0, 0]] }] });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('r-1');
    expect(res.json()).toEqual({ model_name: 'bikes', model_version: '1', id: 'r-1', outputs: [{ name: 'y', shape: [2, 1], datatype: 'FP32', data: [3, 4] }] });
  });

  it('answers records with the manifest\'s features, and refuses bad records naming the field', async () => {
    const res = await post('/api/v1/deployments/bikes/predict', { records: [{ temp: 5, hum: 0.5, wind: 0.1 }] }, { 'x-request-id': 'rec-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ deployment: 'bikes', modelName: 'bikes', modelVersion: '1', requestId: 'rec-1', predictions: [{ y: 5 }] });
    const bad = await post('/api/v1/deployments/bikes/predict', { records: [{ temp: 5, hum: 'wet', wind: 0 }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/records\[0\]: feature 'hum' must be a number/);
  });

  it('logs predictions and joins labels sent later by request id', async () => {
    const labels = await post('/api/v1/deployments/bikes/labels', { labels: [{ requestId: 'rec-1', label: 6 }] });
    expect(labels.json()).toEqual({ received: 1, new: 1 });
    await until(async () => (await server.services.serving.inferenceLog.readWindow({ deployment: 'bikes', from: 0, to: Date.now() + 1, labeledOnly: true })).length > 0);
    const [rec] = await server.services.serving.inferenceLog.readWindow({ deployment: 'bikes', from: 0, to: Date.now() + 1, labeledOnly: true });
    expect(rec).toMatchObject({ requestId: 'rec-1', modelVersion: '1', label: 6, inputs: [{ temp: 5, hum: 0.5, wind: 0.1 }], outputs: [{ y: 5 }] });
  });

  it('stays healthy through a corpus of bad requests, each a clear 4xx', async () => {
    const corpus: [string, unknown, number][] = [
      ['/v2/models/bikes/infer', '{"inputs": [', 400],
      ['/v2/models/bikes/infer', { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 2] }] }, 400],
      ['/v2/models/bikes/infer', { inputs: [{ name: 'x', shape: [1, 3], datatype: 'INT64', data: [1, 2, 3] }] }, 400],
      ['/v2/models/bikes/infer', { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 'NaN?', 3] }] }, 400],
      ['/v2/models/nope/infer', { inputs: [] }, 404],
      ['/v2/models/bikes/versions/7/infer', { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] }, 404],
      ['/api/v1/deployments/bikes/predict', { records: [] }, 400],
      ['/api/v1/deployments/nope/predict', { records: [{ temp: 1, hum: 1, wind: 1 }] }, 404],
    ];
    for (const [url, body, status] of corpus) {
      const res = typeof body === 'string' ? await server.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json' } }) : await post(url, body);
      expect([url, res.statusCode]).toEqual([url, status]);
      expect(res.json()).toHaveProperty('error');
    }
    const ok = await post('/v2/models/bikes/infer', { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [7, 0, 0] }] });
    expect(ok.json().outputs[0].data).toEqual([7]);
  });

  it('follows the alias when it moves: the new version answers, tagged with its number', async () => {
    await server.services.registry.setAlias('bikes', 'champion', 2, alice);
    await until(async () => (await post('/v2/models/bikes/infer', { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 0, 0] }] })).json().model_version === '2');
    const res = await post('/api/v1/deployments/bikes/predict', { records: [{ temp: 5, hum: 0, wind: 0 }] });
    expect(res.json()).toMatchObject({ modelVersion: '2', predictions: [{ y: 10 }] });
    const metrics = (await server.app.inject('/metrics')).body;
    expect(metrics).toMatch(/gyre_inference_requests_total\{deployment="bikes",model="bikes",version="2",status="ok"\} \d+/);
    const lineage = await server.services.models.lineage('bikes@champion');
    expect(lineage.edges).toContainEqual({ from: 'deployment:bikes', to: 'model:bikes/2', relation: 'serves' });
    expect(metrics).toMatch(/gyre_model_load_seconds_count\{deployment="bikes",model="bikes",version="2"\} 1/);
  });
});
