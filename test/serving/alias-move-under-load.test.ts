/**
 * The reliability test of issue 6: HTTP load for 60 s (GYRE_LOAD_TEST_SECONDS to change) against a
 * deployment that follows an alias, with the alias moved in the middle and moved again near the
 * end. Zero failed requests, and every answer is tagged with the version that computed it (version v
 * answers v·x, so a mislabelled answer shows).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';
import { linearModel } from '../../src/test-support/tiny-onnx.js';

const SECONDS = Number(process.env.GYRE_LOAD_TEST_SECONDS ?? 60);
const CLIENTS = 8;
const alice = { user: 'alice' };
const manifest = { inputs: ['a', 'b', 'c'].map((name, column) => ({ name, type: 'number', tensor: 'x', column })) };

describe(`alias moves under ${SECONDS} s of HTTP load`, () => {
  let server: TestServer;
  let port = 0;
  beforeAll(async () => {
    server = await startTestServer();
    for (const v of [1, 2, 3]) await server.services.models.register({ name: 'bikes', onnx: linearModel([v, 0, 0], 0), manifest }, alice);
    await server.services.registry.setAlias('bikes', 'champion', 1, alice);
    await server.services.serving.deployments.create('bikes', { model: 'bikes@champion' }, alice);
    await server.services.serving.start({ pollMs: 200 }).sync();
    port = Number(new URL(await server.listen()).port);
  });
  afterAll(() => server.close());

  it('drops no request and tags every answer with the version that produced it', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const body = JSON.stringify({ inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 0, 0] }] });
    const send = () =>
      new Promise<{ status: number; json: { model_version?: string; outputs?: { data: number[] }[] } }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/v2/models/bikes/infer', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const end = Date.now() + SECONDS * 1000;
    const byVersion = new Map<string, number>();
    const failures: string[] = [];
    const mislabelled: string[] = [];
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        try {
          const res = await send();
          if (res.status !== 200) failures.push(`${res.status} ${JSON.stringify(res.json)}`);
          const v = res.json.model_version ?? '?';
          byVersion.set(v, (byVersion.get(v) ?? 0) + 1);
          if (res.json.outputs?.[0]?.data[0] !== Number(v)) mislabelled.push(`${v}: ${JSON.stringify(res.json.outputs)}`);
        } catch (err) {
          failures.push(String(err));
        }
      }
    });
    const moves = (async () => {
      await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 2));
      await server.services.registry.setAlias('bikes', 'champion', 2, alice);
      await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 4));
      await server.services.registry.setAlias('bikes', 'champion', 3, alice);
    })();
    await Promise.all([...clients, moves]);
    agent.destroy();
    expect(failures).toEqual([]);
    expect(mislabelled).toEqual([]);
    expect([...byVersion.keys()].sort()).toEqual(['1', '2', '3']);
    const total = [...byVersion.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(SECONDS * 50);
  }, (SECONDS + 30) * 1000);
});
