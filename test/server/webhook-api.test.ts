/** The webhook API as remote users reach it: the SDK over HTTP against a real server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';
import { connect } from '../../src/sdk/gyre.js';
import type { Gyre } from '../../src/sdk/gyre.js';
import { verifyDelivery } from '../../src/webhooks/signing.js';

describe('webhook API over HTTP', () => {
  let server: TestServer;
  let gyre: Gyre;
  let receiver: http.Server;
  let receiverUrl = '';
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    gyre = await connect({ url: await server.listen() });
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await gyre?.close();
    await server?.close();
    receiver?.close();
  });

  it('creates, lists, pings, disables and deletes a webhook; the ping is signed with the secret shown at creation', async () => {
    const hook = await gyre.webhooks.create({ name: 'ci', url: receiverUrl, events: ['model_version.created'] });
    expect((await gyre.webhooks.list()).map((h) => h.id)).toContain(hook.id);
    const ping = await gyre.webhooks.test(hook.id);
    expect(ping).toMatchObject({ ok: true, responseStatus: 200 });
    const { headers, body } = received.at(-1)!;
    expect(
      verifyDelivery({
        secret: hook.secret,
        deliveryId: String(headers['x-gyre-delivery-id']),
        timestampSeconds: Number(headers['x-gyre-timestamp']),
        body,
        signature: String(headers['x-gyre-signature']),
      }),
    ).toBe(true);
    expect((await gyre.webhooks.update(hook.id, { status: 'DISABLED' })).status).toBe('DISABLED');
    expect(await gyre.webhooks.deliveries(hook.id)).toEqual([]);
    await gyre.webhooks.delete(hook.id);
    await expect(gyre.webhooks.get(hook.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers bad input with 400 naming the field, and never returns the secret after creation', async () => {
    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/webhooks', payload: { name: 'x', url: receiverUrl, events: 'model_version.created' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/events/);
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/webhooks', payload: { name: 'x', url: receiverUrl, events: ['*'] } });
    expect(created.statusCode).toBe(201);
    const got = await server.app.inject({ method: 'GET', url: `/api/v1/webhooks/${created.json().id}` });
    expect(got.json()).not.toHaveProperty('secret');
    const limit = await server.app.inject({ method: 'GET', url: `/api/v1/webhooks/${created.json().id}/deliveries?limit=abc` });
    expect(limit.statusCode).toBe(400);
  });
});
