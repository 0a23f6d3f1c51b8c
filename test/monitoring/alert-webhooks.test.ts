/**
 * Alerts reach a real HTTP receiver through the webhook dispatcher: the `monitoring` event source
 * fans out `alert.raised` and `alert.resolved`, HMAC-signed, each delivered once.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';
import { linearModel } from '../../src/test-support/tiny-onnx.js';
import { fitProfile } from '../../src/monitoring/profiles/fit-profile.js';
import { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import { HEADER_DELIVERY_ID, HEADER_EVENT, HEADER_SIGNATURE, HEADER_TIMESTAMP, verifyDelivery } from '../../src/webhooks/signing.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2012, 2, 1);
const SECRET = 'monitoring-test-secret-0123456789';

describe('alerts delivered as signed webhooks', () => {
  let server: TestServer;
  let receiver: http.Server;
  let url = '';
  const received: { event: string; body: string; valid: boolean }[] = [];

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const valid = verifyDelivery({ secret: SECRET, deliveryId: String(req.headers[HEADER_DELIVERY_ID]), timestampSeconds: Number(req.headers[HEADER_TIMESTAMP]), body, signature: String(req.headers[HEADER_SIGNATURE]) });
        received.push({ event: String(req.headers[HEADER_EVENT]), body, valid });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    server = await startTestServer();
    const { models, serving, monitoring } = server.services;
    const manifest = { task: 'regression', inputs: [{ name: 'temp', type: 'number', tensor: 'x', column: 0 }], inputExample: [{ temp: 1 }] };
    await models.register({ name: 'm', onnx: linearModel([1], 0), manifest, alias: 'champion' }, { user: 'a' });
    await serving.deployments.create('d', { model: 'm@champion' }, { user: 'a' });
    await monitoring.profiles.save('ref', fitProfile({ source: 'mem', kinds: { temp: 'numeric' }, columns: { temp: Array.from({ length: 500 }, (_, i) => i % 50) } }));
    await monitoring.create('temp-watch', { deployment: 'd', profile: 'ref', window: { kind: 'time', ms: HOUR }, startAt: T0, rules: [{ kind: 'threshold', metric: 'out_of_range_share', feature: 'temp', op: '>', value: 0.1 }] });
  });
  afterAll(async () => {
    await server.close();
    await new Promise((r) => receiver.close(r));
  });

  it('raises, resolves, and delivers both events once, signed', async () => {
    const { webhooks, serving, monitoring, webhookStore, eventSources } = server.services;
    await webhooks.create({ name: 'pager', url, events: ['alert.*'], secret: SECRET });
    const record = (h: number, i: number, temp: number) => ({ deployment: 'd', requestId: `h${h}-${i}`, timestamp: T0 + h * HOUR + i, modelName: 'm', modelVersion: '1', variant: 'primary' as const, inputs: [{ temp }], outputs: [{ y: temp }], latencyMs: 1 });
    await serving.inferenceLog.append([...Array.from({ length: 50 }, (_, i) => record(0, i, i + 30)), ...Array.from({ length: 50 }, (_, i) => record(1, i, i % 50))]);
    await monitoring.runDue(T0 + 2 * HOUR);
    const dispatcher = new WebhookDispatcher(webhookStore, eventSources);
    await dispatcher.runOnce();
    await dispatcher.runOnce();
    expect(received.map((r) => [r.event, r.valid])).toEqual([
      ['alert.raised', true],
      ['alert.resolved', true],
    ]);
    const raised = JSON.parse(received[0]!.body);
    expect(JSON.stringify(raised)).toMatch(/"rule":"threshold:out_of_range_share:temp>0.1"/);
    expect(JSON.stringify(raised)).toMatch(/"monitor":"temp-watch"/);
  });
});
