/**
 * The inference endpoints over a real socket, where the fast path in front of Fastify answers
 * them: the same answers and errors as through Fastify (app.inject), the body limit, and every
 * request the fast path does not take still reaching Fastify.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';
import { linearModel } from '../../src/test-support/tiny-onnx.js';

const alice = { user: 'alice' };
const manifest = { task: 'regression', inputs: ['temp', 'hum', 'wind'].map((name, column) => ({ name, type: 'number', tensor: 'x', column })), inputExample: [{ temp: 1, hum: 0, wind: 0 }] };
const LIMIT = 4096;

/** One POST over a socket; `chunked` sends the body without a content-length. */
function post(base: string, path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, chunked = false): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method: 'POST', headers: chunked ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (chunked) {
      for (let i = 0; i < body.length; i += 1000) req.write(body.slice(i, i + 1000));
      req.end();
    } else req.end(body);
  });
}

describe('inference fast path over HTTP (real ONNX Runtime)', () => {
  let server: TestServer;
  let base: string;
  const oip = (data: number[][], id?: string) => JSON.stringify({ ...(id ? { id } : {}), inputs: [{ name: 'x', shape: [data.length, 3], datatype: 'FP32', data }] });

  beforeAll(async () => {
    server = await startTestServer('gyre-fast-path-', { bodyLimit: LIMIT });
    const { models, serving } = server.services;
    await models.register({ name: 'bikes', onnx: linearModel([1, 0, 0], 0), manifest, alias: 'champion' }, alice);
    await serving.deployments.create('bikes', { model: 'bikes@champion' }, alice);
    serving.start({ pollMs: 50 });
    for (let i = 0; i < 250 && !(server.services.serving.manager()?.names().includes('bikes') && server.services.serving.manager()?.allReady()); i++) await new Promise((r) => setTimeout(r, 20));
    base = await server.listen();
  });
  afterAll(() => server.close());

  it('answers OIP and records requests exactly as the Fastify routes do', async () => {
    for (const [path, body] of [
      ['/v2/models/bikes/infer', oip([[3, 0, 0]], 'r-1')],
      ['/v2/models/bikes/versions/1/infer', oip([[4, 0, 0]], 'r-2')],
      ['/api/v1/deployments/bikes/predict', JSON.stringify({ records: [{ temp: 5, hum: 0, wind: 0 }] })],
    ]) {
      const overHttp = await post(base, path, body, { 'content-type': 'application/json', 'x-request-id': 'same' });
      const injected = await server.app.inject({ method: 'POST', url: path, payload: body, headers: { 'content-type': 'application/json', 'x-request-id': 'same' } });
      expect([path, overHttp.status, JSON.parse(overHttp.text)]).toEqual([path, injected.statusCode, injected.json()]);
      expect(overHttp.headers['x-request-id']).toBe('same');
      expect(overHttp.headers['content-type']).toMatch(/^application\/json/);
    }
    expect(JSON.parse((await post(base, '/v2/models/bikes/infer', oip([[3, 0, 0]], 'r-9'))).text)).toEqual({ model_name: 'bikes', model_version: '1', id: 'r-9', outputs: [{ name: 'y', shape: [1, 1], datatype: 'FP32', data: [3] }] });
  });

  it('answers a body id that cannot be a header value, echoing it in the body but not in x-request-id', async () => {
    for (const id of ['line\nbreak', 'snow ☃', ' padded ', 'x'.repeat(300)]) {
      const body = oip([[3, 0, 0]], id);
      const overHttp = await post(base, '/v2/models/bikes/infer', body);
      const injected = await server.app.inject({ method: 'POST', url: '/v2/models/bikes/infer', payload: body, headers: { 'content-type': 'application/json' } });
      for (const [how, status, headers, text] of [['http', overHttp.status, overHttp.headers, overHttp.text], ['inject', injected.statusCode, injected.headers, injected.body]] as const) {
        expect([how, id, status, JSON.parse(text).id]).toEqual([how, id, 200, id]);
        expect([how, id, headers['x-request-id']]).toEqual([how, id, undefined]);
      }
    }
    expect((await post(base, '/v2/models/bikes/infer', oip([[3, 0, 0]], 'plain-id'))).headers['x-request-id']).toBe('plain-id');
  });

  it('answers bad requests with the same status and error shape as through Fastify', async () => {
    const cases: [string, string, number][] = [
      ['/v2/models/bikes/infer', '{"inputs": [', 400],
      ['/v2/models/bikes/infer', '', 400],
      ['/v2/models/bikes/infer', '{"__proto__": {"x": 1}, "inputs": []}', 400],
      ['/v2/models/bikes/infer', oip([[1, 2]]), 400],
      ['/v2/models/nope/infer', oip([[1, 2, 3]]), 404],
      ['/v2/models/bikes/versions/7/infer', oip([[1, 2, 3]]), 404],
      ['/api/v1/deployments/bikes/predict', '{"records": []}', 400],
      ['/api/v1/deployments/bikes/predict', '{"rows": []}', 400],
      ['/api/v1/deployments/bikes/predict', '{"records": [{"temp": "warm", "hum": 0, "wind": 0}]}', 400],
      ['/api/v1/deployments/nope/predict', '{"records": [{"temp": 1, "hum": 1, "wind": 1}]}', 404],
    ];
    for (const [path, body, status] of cases) {
      const overHttp = await post(base, path, body);
      const injected = await server.app.inject({ method: 'POST', url: path, payload: body, headers: { 'content-type': 'application/json' } });
      expect([path, body, overHttp.status]).toEqual([path, body, status]);
      expect([path, body, JSON.parse(overHttp.text)]).toEqual([path, body, injected.json()]);
    }
    // Errors of the records endpoint are the native API's; OIP's are {"error": "..."}.
    expect(JSON.parse((await post(base, '/api/v1/deployments/nope/predict', '{"records": [{"temp": 1}]}')).text).error.code).toBe('NOT_FOUND');
    expect(typeof JSON.parse((await post(base, '/v2/models/nope/infer', oip([[1, 2, 3]]))).text).error).toBe('string');
  });

  it('refuses a body over the limit with 413, declared or chunked, and keeps serving', async () => {
    const big = oip(Array.from({ length: 1000 }, () => [1, 2, 3]));
    expect(big.length).toBeGreaterThan(LIMIT);
    for (const chunked of [false, true]) {
      const res = await post(base, '/v2/models/bikes/infer', big, { 'content-type': 'application/json' }, chunked);
      expect([chunked, res.status]).toEqual([chunked, 413]);
      expect(JSON.parse(res.text)).toEqual({ error: expect.stringMatching(/larger than this endpoint accepts/) });
    }
    expect((await post(base, '/v2/models/bikes/infer', oip([[2, 0, 0]]))).status).toBe(200);
  });

  it('leaves other requests to Fastify: a non-JSON content type, other routes and methods', async () => {
    const text = await post(base, '/v2/models/bikes/infer', oip([[1, 0, 0]]), { 'content-type': 'text/plain' });
    const injected = await server.app.inject({ method: 'POST', url: '/v2/models/bikes/infer', payload: oip([[1, 0, 0]]), headers: { 'content-type': 'text/plain' } });
    expect([text.status, JSON.parse(text.text)]).toEqual([injected.statusCode, injected.json()]);
    expect(Object.keys(JSON.parse(text.text))).toEqual(['error']);
    const meta = await fetch(`${base}/v2/models/bikes`);
    expect(await meta.json()).toMatchObject({ name: 'bikes', versions: ['1'] });
    const labels = await post(base, '/api/v1/deployments/bikes/labels', JSON.stringify({ labels: [{ requestId: 'r-1', label: 3 }] }));
    expect(labels.status).toBe(200);
  });

  it('logs requests it answers with the same inputs and outputs as requests answered through Fastify', async () => {
    const oipBody = oip([[6, 1, 2]]);
    const recordsBody = JSON.stringify({ records: [{ temp: 7, hum: 0.5, wind: 0.25 }] });
    for (const [path, body, tag] of [['/v2/models/bikes/infer', oipBody, 'oip'], ['/api/v1/deployments/bikes/predict', recordsBody, 'records']]) {
      await post(base, path, body, { 'content-type': 'application/json', 'x-request-id': `http-${tag}` });
      await server.app.inject({ method: 'POST', url: path, payload: body, headers: { 'content-type': 'application/json', 'x-request-id': `inject-${tag}` } });
    }
    await server.services.serving.flushLog();
    const rows = await server.services.serving.inferenceLog.readWindow({ deployment: 'bikes', from: 0, to: Date.now() + 1 });
    const byId = new Map(rows.map((r) => [r.requestId, r]));
    for (const tag of ['oip', 'records']) {
      const [viaHttp, viaInject] = [byId.get(`http-${tag}`)!, byId.get(`inject-${tag}`)!];
      expect([tag, viaHttp.inputs, viaHttp.outputs]).toEqual([tag, viaInject.inputs, viaInject.outputs]);
    }
    expect(byId.get('http-records')!.inputs).toEqual([{ temp: 7, hum: 0.5, wind: 0.25 }]);
    expect(byId.get('http-oip')!.inputs).toEqual({ x: [[6, 1, 2]] });
  });

  it('counts fast-path requests in the HTTP duration metric under their route template', async () => {
    await post(base, '/v2/models/bikes/infer', oip([[1, 0, 0]]));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/gyre_http_request_duration_seconds_count\{method="POST",route="\/v2\/models\/:model\/infer",status="200"\} [1-9]\d*/);
    expect(metrics).toMatch(/gyre_http_request_duration_seconds_count\{method="POST",route="\/v2\/models\/:model\/infer",status="404"\} [1-9]\d*/);
  });
});
