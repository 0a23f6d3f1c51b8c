/** The webhook API as remote users reach it: the SDK over HTTP against a real server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';
import { connect } from '../../src/sdk/gyre.js';
import type { Gyre } from '../../src/sdk/gyre.js';
import { verifyDelivery } from '../../src/webhooks/signing.js';
import { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';

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

  it('delivers registry events: an alias move reaches a subscribed webhook, signed, with its payload', async () => {
    for (const w of await gyre.webhooks.list()) await gyre.webhooks.delete(w.id);
    await expect(gyre.webhooks.create({ name: 'x', url: receiverUrl, events: ['model_alias.exploded'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const hook = await gyre.webhooks.create({ name: 'promotions', url: receiverUrl, events: ['model_alias.*'], modelName: 'bikes' });
    const alice = { user: 'alice', reason: 'weekly retrain' };
    await gyre.registry.createModel({ name: 'bikes' }, alice);
    await gyre.registry.createVersion({ name: 'bikes', source: 's' }, alice);
    await gyre.registry.setAlias('bikes', 'champion', 1, alice);
    received.length = 0;
    const dispatcher = new WebhookDispatcher(server.services.webhookStore, server.services.eventSources);
    expect(await dispatcher.runOnce()).toMatchObject({ enqueued: 1, succeeded: 1 });
    const body = JSON.parse(received[0]!.body);
    expect(body).toMatchObject({ type: 'model_alias.set', modelName: 'bikes', user: 'alice', data: { alias: 'champion', fromVersion: null, toVersion: 1, reason: 'weekly retrain' } });
    expect(verifyDelivery({ secret: hook.secret, deliveryId: String(received[0]!.headers['x-gyre-delivery-id']), timestampSeconds: Number(received[0]!.headers['x-gyre-timestamp']), body: received[0]!.body, signature: String(received[0]!.headers['x-gyre-signature']) })).toBe(true);
    expect((await gyre.webhooks.deliveries(hook.id))[0]).toMatchObject({ status: 'SUCCEEDED', eventType: 'model_alias.set' });
  });
});
