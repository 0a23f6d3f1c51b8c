import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oipPlugin } from './oip-routes.js';
import { StaticServedModels } from '../../serving/served-models.js';
import { OnnxModel } from '../../serving/onnx-model.js';
import { linearModel } from '../../test-support/tiny-onnx.js';

describe('Open Inference Protocol v2 REST', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const served = new StaticServedModels();
    served.add('bikes', '1', await OnnxModel.load(linearModel([1, 0, 0], 0)));
    served.add('bikes', '2', await OnnxModel.load(linearModel([2, 0, 0], 0)));
    app = Fastify();
    await app.register(oipPlugin, { served, prefix: '/v2' });
  });
  afterAll(() => app.close());

  const get = (url: string) => app.inject({ method: 'GET', url });
  const infer = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
  const body = { id: 'req-7', inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [[10, 0, 0]] }] };

  it('answers server metadata, liveness and readiness', async () => {
    expect((await get('/v2')).json()).toMatchObject({ name: 'gyre', extensions: [] });
    expect((await get('/v2/health/live')).statusCode).toBe(200);
    expect((await get('/v2/health/ready')).statusCode).toBe(200);
  });

  it('describes a model and a pinned version', async () => {
    expect((await get('/v2/models/bikes')).json()).toEqual({
      name: 'bikes',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 1] }],
    });
    expect((await get('/v2/models/bikes/versions/1')).json().versions).toEqual(['1']);
    expect((await get('/v2/models/bikes/versions/1/ready')).json()).toEqual({ name: 'bikes', version: '1', ready: true });
  });

  it('infers with the newest version, or the pinned one, echoing the request id', async () => {
    const latest = await infer('/v2/models/bikes/infer', body);
    expect(latest.statusCode).toBe(200);
    expect(latest.json()).toEqual({ model_name: 'bikes', model_version: '2', id: 'req-7', outputs: [{ name: 'y', shape: [1, 1], datatype: 'FP32', data: [20] }] });
    expect((await infer('/v2/models/bikes/versions/1/infer', body)).json().outputs[0].data).toEqual([10]);
  });

  it('answers errors as {"error": "..."}: 400 bad input, 404 unknown model or version', async () => {
    const bad = await infer('/v2/models/bikes/infer', { inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: expect.stringMatching(/dimension 1 must be 3/) });
    const malformed = await app.inject({ method: 'POST', url: '/v2/models/bikes/infer', payload: '{"inputs": [', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(Object.keys(malformed.json())).toEqual(['error']);
    const unknown = await infer('/v2/models/cars/infer', body);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatch(/No model 'cars'.*Served: bikes/);
    expect((await infer('/v2/models/bikes/versions/9/infer', body)).statusCode).toBe(404);
    expect((await get('/v2/models/bikes/versions/9/ready')).statusCode).toBe(404);
  });
});
