import { describe, expect, it } from 'vitest';
import { inferenceRoute } from './inference-fast-path.js';

describe('inference fast path: which requests it takes', () => {
  it('takes POSTs to the OIP and records inference routes, decoding names', () => {
    expect(inferenceRoute('POST', '/v2/models/bike%20demand/infer')).toEqual({ kind: 'oip', model: 'bike demand', version: undefined, template: '/v2/models/:model/infer' });
    expect(inferenceRoute('POST', '/v2/models/bikes/versions/3/infer?x=1')).toEqual({ kind: 'oip', model: 'bikes', version: '3', template: '/v2/models/:model/versions/:version/infer' });
    expect(inferenceRoute('POST', '/api/v1/deployments/bikes/predict')).toEqual({ kind: 'records', name: 'bikes', template: '/api/v1/deployments/:name/predict' });
  });

  it('leaves everything else to Fastify', () => {
    for (const [method, url] of [
      ['GET', '/v2/models/bikes/infer'],
      ['POST', '/v2/models/bikes'],
      ['POST', '/v2/models//infer'],
      ['POST', '/v2/models/bikes/infer/extra'],
      ['POST', '/v2/models/bikes/versions//infer'],
      ['POST', '/api/v1/deployments/bikes/labels'],
      ['POST', '/v2/models/%E0%A4%A/infer'],
      ['POST', '/api/v1/runs/predict'],
    ]) expect([method, url, inferenceRoute(method, url)]).toEqual([method, url, null]);
  });
});

describe('inference fast path: answering', () => {
  it('answers inference requests itself and hands every other request to the next handler', async () => {
    const { default: http } = await import('node:http');
    const { StaticServedModels } = await import('../../serving/served-models.js');
    const { OnnxModel } = await import('../../serving/onnx-model.js');
    const { linearModel } = await import('../../test-support/tiny-onnx.js');
    const { inferenceFastPath } = await import('./inference-fast-path.js');
    const served = new StaticServedModels();
    served.add('bikes', '1', await OnnxModel.load(linearModel([2, 0, 0], 0)));
    const observed: string[] = [];
    const fastPath = inferenceFastPath({ served, records: () => null, bodyLimit: 1000, parseJson: (t) => JSON.parse(t), observe: (m, r, s) => observed.push(`${m} ${r} ${s}`) });
    let handedOn = 0;
    const server = http.createServer((req, res) => fastPath(req, res) || (handedOn++, res.end('next')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const send = (path: string, body: string, type = 'application/json') => fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': type } });
    try {
      const ok = await send('/v2/models/bikes/infer', JSON.stringify({ inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 0, 0] }] }));
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { outputs: { data: number[] }[] }).outputs[0]!.data).toEqual([2]);
      expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const noServing = await send('/api/v1/deployments/bikes/predict', '{"records": [{"a": 1}]}');
      expect([noServing.status, noServing.headers.get('retry-after'), ((await noServing.json()) as { error: { code: string } }).error.code]).toEqual([503, '5', 'UNAVAILABLE']);
      // Sent without a length (chunked), a body over the limit is cut off here with 413.
      const chunked = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('x'.repeat(2000))), c.close()) });
      expect((await fetch(`${base}/v2/models/bikes/infer`, { method: 'POST', body: chunked, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit)).status).toBe(413);
      expect(handedOn).toBe(0);
      // A declared length over the limit, another content type, another route: the next handler's.
      expect(await (await send('/v2/models/bikes/infer', 'x'.repeat(2000))).text()).toBe('next');
      expect(await (await send('/v2/models/bikes/infer', '{}', 'text/plain')).text()).toBe('next');
      expect(await (await fetch(`${base}/v2/models/bikes`)).text()).toBe('next');
      expect(handedOn).toBe(3);
      expect(observed).toEqual(['POST /v2/models/:model/infer 200', 'POST /api/v1/deployments/:name/predict 503', 'POST /v2/models/:model/infer 413']);
    } finally {
      server.close();
    }
  });
});
