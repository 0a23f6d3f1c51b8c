/**
 * What every WebhookStore backend must do, exercised through WebhookService and WebhookDispatcher
 * against a real HTTP receiver on loopback. Events come from an in-memory event source standing in
 * for the registry's outbox (the registry's own tests cover its events reaching webhooks).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookStore } from './webhook-store.js';
import type { DomainEvent, EventSource } from './entities.js';
import { WebhookService } from './webhook-service.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { HEADER_DELIVERY_ID, HEADER_EVENT, HEADER_SIGNATURE, HEADER_TIMESTAMP, verifyDelivery } from './signing.js';
import { expectInvalidArgument } from '../test-support/expect-invalid-argument.js';

export interface WebhookStoreFixture {
  store: WebhookStore;
  cleanup(): Promise<void>;
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver that answers with the next scripted status (200 once the script runs out). */
async function startReceiver() {
  const received: Received[] = [];
  const script: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = script.shift() ?? 200;
      res.end(res.statusCode === 200 ? 'ok' : 'try later');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, script, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A loopback URL nothing listens on: a port just released by a server of ours. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/nothing-listens`;
}

class MemoryEvents implements EventSource {
  events: DomainEvent[] = [];
  private nextId = 1;
  emit(type: string, modelName: string | null, payload: unknown, createdAt = Date.now(), id = this.nextId): DomainEvent {
    const e = { id, type, modelName, payload, user: 'alice', createdAt };
    this.nextId = id + 1;
    this.events.push(e);
    this.events.sort((a, b) => a.id - b.id);
    return e;
  }
  async listEvents(afterId: number, limit: number): Promise<DomainEvent[]> {
    return this.events.filter((e) => e.id > afterId).slice(0, limit);
  }
}

const KNOWN = ['registered_model.created', 'model_version.created', 'model_alias.moved'];
const fastRetry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 };

export function webhookStoreContract(name: string, makeStore: () => Promise<WebhookStoreFixture>): void {
  describe(`WebhookStore contract: ${name}`, () => {
    let fixture: WebhookStoreFixture;
    let service: WebhookService;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let events: MemoryEvents;
    // Each test reads its own event source, so cursors left by earlier tests do not interfere.
    let source = '';
    let n = 0;

    beforeAll(async () => {
      fixture = await makeStore();
      service = new WebhookService(fixture.store, KNOWN);
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver?.close();
      await fixture?.cleanup();
    });
    beforeEach(async () => {
      for (const w of await service.list()) await service.delete(w.id);
      receiver.received.length = 0;
      receiver.script.length = 0;
      events = new MemoryEvents();
      source = `registry-${++n}`;
    });

    it('creates a webhook, shows its secret once, and lists it without the secret', async () => {
      const created = await service.create({ name: 'ci', url: receiver.url, events: ['model_version.*'] });
      expect(created.secret.length).toBeGreaterThanOrEqual(32);
      const listed = await service.list();
      expect(listed).toHaveLength(1);
      expect(listed[0]).not.toHaveProperty('secret');
      expect(listed[0]).toMatchObject({ name: 'ci', events: ['model_version.*'], status: 'ACTIVE', modelName: null });
    });

    it('refuses bad subscriptions and stores nothing', async () => {
      await expectInvalidArgument(service.create({ name: 'x', url: 'ftp://example.com', events: ['*'] }), /http or https/);
      await expectInvalidArgument(service.create({ name: 'x', url: 'not a url', events: ['*'] }), /absolute URL/);
      await expectInvalidArgument(service.create({ name: 'x', url: receiver.url, events: [] }), /non-empty list/);
      await expectInvalidArgument(service.create({ name: 'x', url: receiver.url, events: ['model_version.exploded'] }), /matches no event/);
      await expectInvalidArgument(service.create({ name: 'x', url: receiver.url, events: ['*'], secret: 'short' }), /at least 16/);
      expect(await service.list()).toEqual([]);
    });

    it('delivers matching events signed, with the delivery id, event type and timestamp headers', async () => {
      const hook = await service.create({ name: 'ci', url: receiver.url, events: ['model_version.created'], secret: 'a-secret-of-some-length' });
      const dispatcher = new WebhookDispatcher(fixture.store, { [source]: events }, { backoff: fastRetry });
      events.emit('registered_model.created', 'm', { name: 'm' });
      events.emit('model_version.created', 'm', { name: 'm', version: 1 });
      const result = await dispatcher.runOnce();
      expect(result).toMatchObject({ enqueued: 1, attempted: 1, succeeded: 1 });
      expect(receiver.received).toHaveLength(1);
      const { headers, body } = receiver.received[0]!;
      expect(headers[HEADER_EVENT]).toBe('model_version.created');
      expect(JSON.parse(body)).toMatchObject({ type: 'model_version.created', modelName: 'm', user: 'alice', data: { version: 1 } });
      expect(
        verifyDelivery({
          secret: 'a-secret-of-some-length',
          deliveryId: String(headers[HEADER_DELIVERY_ID]),
          timestampSeconds: Number(headers[HEADER_TIMESTAMP]),
          body,
          signature: String(headers[HEADER_SIGNATURE]),
        }),
      ).toBe(true);
      expect(verifyDelivery({ secret: 'another-secret-entirely', deliveryId: String(headers[HEADER_DELIVERY_ID]), timestampSeconds: Number(headers[HEADER_TIMESTAMP]), body, signature: String(headers[HEADER_SIGNATURE]) })).toBe(false);
      const [delivery] = await service.deliveries(hook.id);
      expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lastResponseStatus: 200 });
      // A second cycle sends nothing again.
      expect(await dispatcher.runOnce()).toMatchObject({ enqueued: 0, attempted: 0 });
    });

    it('retries a failing receiver with backoff, keeps the delivery id, and logs every attempt', async () => {
      const hook = await service.create({ name: 'ci', url: receiver.url, events: ['*'] });
      receiver.script.push(500, 503);
      const dispatcher = new WebhookDispatcher(fixture.store, { [source]: events }, { backoff: fastRetry });
      events.emit('model_version.created', 'm', { version: 1 });
      const t0 = Date.now();
      await dispatcher.runOnce(t0);
      let [d] = await service.deliveries(hook.id);
      expect(d).toMatchObject({ status: 'PENDING', attempts: 1, lastResponseStatus: 500 });
      expect(d!.nextAttemptAt).toBeGreaterThan(t0);
      // Not due yet: nothing is sent.
      expect((await dispatcher.runOnce(t0)).attempted).toBe(0);
      await dispatcher.runOnce(t0 + 1_000);
      await dispatcher.runOnce(t0 + 2_000);
      [d] = await service.deliveries(hook.id);
      expect(d).toMatchObject({ status: 'SUCCEEDED', attempts: 3, lastResponseStatus: 200 });
      expect(new Set(receiver.received.map((r) => r.headers[HEADER_DELIVERY_ID])).size).toBe(1);
      const attempts = await service.attempts(d!.id);
      expect(attempts.map((a) => a.responseStatus)).toEqual([500, 503, 200]);
      expect(attempts[0]!.error).toMatch(/500: try later/);
    });

    it('gives up after the last attempt and marks the delivery FAILED with the reason', async () => {
      const hook = await service.create({ name: 'dead', url: await closedPortUrl(), events: ['*'] });
      const dispatcher = new WebhookDispatcher(fixture.store, { [source]: events }, { backoff: fastRetry, requestTimeoutMs: 2_000 });
      events.emit('model_version.created', 'm', {});
      const t0 = Date.now();
      for (let i = 0; i < 4; i++) await dispatcher.runOnce(t0 + i * 1_000);
      const [d] = await service.deliveries(hook.id);
      expect(d).toMatchObject({ status: 'FAILED', attempts: 3, lastResponseStatus: null });
      expect(d!.lastError).toMatch(/delivery failed: ECONNREFUSED/);
    });

    it('filters by model, skips disabled webhooks and events from before the webhook existed', async () => {
      events.emit('model_version.created', 'old', {}, Date.now() - 60_000);
      const onlyA = await service.create({ name: 'a', url: receiver.url, events: ['*'], modelName: 'a' });
      const disabled = await service.create({ name: 'off', url: receiver.url, events: ['*'], status: 'DISABLED' });
      events.emit('model_version.created', 'a', {});
      events.emit('model_version.created', 'b', {});
      await new WebhookDispatcher(fixture.store, { [source]: events }).runOnce();
      expect((await service.deliveries(onlyA.id)).length).toBe(1);
      expect(await service.deliveries(disabled.id)).toEqual([]);
      expect(receiver.received.map((r) => JSON.parse(r.body).modelName)).toEqual(['a']);
    });

    it('waits for a hole in the event ids, then skips it once it is older than the grace period', async () => {
      const hook = await service.create({ name: 'ci', url: receiver.url, events: ['*'] });
      const dispatcher = new WebhookDispatcher(fixture.store, { [source]: events }, { gapGraceMs: 30_000 });
      const now = Date.now();
      events.emit('model_version.created', 'm', { n: 1 }, now, 1);
      events.emit('model_version.created', 'm', { n: 3 }, now, 3); // id 2 not committed yet
      await dispatcher.runOnce(now);
      expect((await service.deliveries(hook.id)).map((d) => d.eventId)).toEqual([1]);
      events.emit('model_version.created', 'm', { n: 2 }, now, 2); // it commits late
      await dispatcher.runOnce(now);
      expect((await service.deliveries(hook.id)).map((d) => d.eventId).sort()).toEqual([1, 2, 3]);
      events.emit('model_version.created', 'm', { n: 5 }, now, 5); // id 4 rolled back: never appears
      await dispatcher.runOnce(now);
      expect((await service.deliveries(hook.id)).length).toBe(3);
      await dispatcher.runOnce(now + 31_000);
      expect((await service.deliveries(hook.id)).map((d) => d.eventId)).toContain(5);
    });

    it('two dispatchers on one database send every delivery exactly once', async () => {
      await service.create({ name: 'ci', url: receiver.url, events: ['*'] });
      for (let i = 0; i < 30; i++) events.emit('model_version.created', 'm', { version: i + 1 });
      const a = new WebhookDispatcher(fixture.store, { [source]: events });
      const b = new WebhookDispatcher(fixture.store, { [source]: events });
      await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
      const versions = receiver.received.map((r) => JSON.parse(r.body).data.version).sort((x, y) => x - y);
      expect(versions).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });

    it('updates and deletes webhooks; unknown ids are NOT_FOUND', async () => {
      const hook = await service.create({ name: 'ci', url: receiver.url, events: ['*'] });
      const updated = await service.update(hook.id, { status: 'DISABLED', events: ['model_alias.moved'] });
      expect(updated).toMatchObject({ status: 'DISABLED', events: ['model_alias.moved'] });
      await expectInvalidArgument(service.update(hook.id, { url: 'gopher://x' }), /http or https/);
      expect((await service.get(hook.id)).url).toBe(receiver.url);
      await service.delete(hook.id);
      await expect(service.get(hook.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(service.delete(hook.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('test() pings the receiver and reports its answer', async () => {
      const hook = await service.create({ name: 'ci', url: receiver.url, events: ['*'] });
      expect(await service.test(hook.id)).toMatchObject({ ok: true, responseStatus: 200 });
      receiver.script.push(404);
      expect(await service.test(hook.id)).toMatchObject({ ok: false, responseStatus: 404 });
      expect(receiver.received[0]!.headers[HEADER_EVENT]).toBe('webhook.test');
    });
  });
}
