/**
 * Turns domain events into webhook deliveries and sends them. Two phases per cycle:
 *  1. fan-out: new events of each source → one delivery per matching ACTIVE webhook, recorded with
 *     the source's cursor in one transaction (crash-safe, duplicate-free);
 *  2. delivery: due PENDING deliveries are leased, POSTed signed, and their attempt recorded;
 *     a failure is retried with backoff until the attempts run out (then FAILED).
 * Several dispatchers (server processes) may share a database: leases keep them from sending the
 * same attempt twice. Delivery is at-least-once (a crash after the POST and before the record
 * resends it); receivers deduplicate by X-Gyre-Delivery-Id.
 */
import type { DomainEvent, EventSource } from './entities.js';
import type { NewDelivery, StoredWebhook, WebhookStore } from './webhook-store.js';
import { DEFAULT_BACKOFF, retryDelayMs } from './backoff.js';
import type { BackoffPolicy } from './backoff.js';
import { eventMatches } from './webhook-validation.js';
import { sendSigned } from './send-signed.js';
import { newUuid } from '../core/ids.js';

export interface DispatcherOptions {
  pollIntervalMs?: number;
  backoff?: BackoffPolicy;
  requestTimeoutMs?: number;
  /** How long a claimed delivery stays leased; longer than requestTimeoutMs. */
  leaseMs?: number;
  batchSize?: number;
  /** Concurrent POSTs per cycle. */
  concurrency?: number;
  /**
   * How long a hole in the event ids is waited for. On PostgreSQL a transaction holding a lower id
   * may commit after a higher one; a hole older than this is a rolled-back transaction.
   */
  gapGraceMs?: number;
  fetch?: typeof fetch;
  onError?: (err: unknown) => void;
}

export interface CycleResult {
  enqueued: number;
  attempted: number;
  succeeded: number;
}

export class WebhookDispatcher {
  private readonly o: Required<Omit<DispatcherOptions, 'fetch'>> & { fetch?: typeof fetch };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;

  constructor(
    private readonly store: WebhookStore,
    private readonly sources: Record<string, EventSource>,
    options: DispatcherOptions = {},
  ) {
    this.o = {
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      leaseMs: options.leaseMs ?? Math.max(60_000, (options.requestTimeoutMs ?? 10_000) * 3),
      batchSize: options.batchSize ?? 100,
      concurrency: options.concurrency ?? 4,
      gapGraceMs: options.gapGraceMs ?? 30_000,
      onError: options.onError ?? (() => {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
  }

  /** Runs a cycle every pollIntervalMs until stop(); the timer never keeps the process alive. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = (): void => {
      this.running = this.runOnce()
        .catch((err) => this.o.onError(err))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.o.pollIntervalMs).unref();
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One fan-out and one delivery pass; tests call it directly for determinism. */
  async runOnce(now = Date.now()): Promise<CycleResult> {
    let enqueued = 0;
    for (const [name, source] of Object.entries(this.sources)) enqueued += await this.fanOut(name, source, now);
    const { attempted, succeeded } = await this.deliverDue(now);
    return { enqueued, attempted, succeeded };
  }

  private async fanOut(sourceName: string, source: EventSource, now: number): Promise<number> {
    let total = 0;
    for (;;) {
      const cursor = await this.store.getCursor(sourceName);
      const events = await source.listEvents(cursor, this.o.batchSize);
      const ready = contiguousPrefix(cursor, events, now - this.o.gapGraceMs);
      if (ready.length === 0) return total;
      const hooks = (await this.store.listWebhooks()).filter((h) => h.status === 'ACTIVE');
      const deliveries = ready.flatMap((event) => hooks.filter((h) => subscribed(h, event)).map((h) => newDelivery(h, event)));
      await this.store.enqueueDeliveries(sourceName, ready[ready.length - 1]!.id, deliveries, now);
      total += deliveries.length;
      if (ready.length < events.length || events.length < this.o.batchSize) return total;
    }
  }

  private async deliverDue(now: number): Promise<{ attempted: number; succeeded: number }> {
    const due = await this.store.claimDueDeliveries(now, this.o.leaseMs, this.o.batchSize);
    let succeeded = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < due.length) {
        const d = due[next++]!;
        const attempt = d.attempts + 1;
        const result = await sendSigned({
          url: d.url,
          secret: d.secret,
          deliveryId: d.id,
          eventType: d.eventType,
          body: d.body,
          timeoutMs: this.o.requestTimeoutMs,
          ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
        });
        if (result.ok) succeeded++;
        const exhausted = attempt >= this.o.backoff.maxAttempts;
        const at = Date.now();
        await this.store.recordAttempt(d.id, attempt, {
          at,
          responseStatus: result.responseStatus,
          error: result.error,
          durationMs: result.durationMs,
          status: result.ok ? 'SUCCEEDED' : exhausted ? 'FAILED' : 'PENDING',
          nextAttemptAt: result.ok || exhausted ? null : Math.max(at, now) + retryDelayMs(this.o.backoff, attempt),
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, due.length) }, worker));
    return { attempted: due.length, succeeded };
  }
}

/**
 * The events that can be fanned out now: ids follow the cursor without a hole, or the hole is
 * older than the grace period (its transaction rolled back and the id will never appear).
 */
export function contiguousPrefix(cursor: number, events: DomainEvent[], graceCutoff: number): DomainEvent[] {
  const out: DomainEvent[] = [];
  let last = cursor;
  for (const e of events) {
    if (e.id !== last + 1 && e.createdAt > graceCutoff) break;
    out.push(e);
    last = e.id;
  }
  return out;
}

function subscribed(hook: StoredWebhook, event: DomainEvent): boolean {
  // A webhook hears what happens after it was made, not the history before it.
  if (event.createdAt < hook.createdAt) return false;
  if (hook.modelName !== null && hook.modelName !== event.modelName) return false;
  return hook.events.some((p) => eventMatches(p, event.type));
}

function newDelivery(hook: StoredWebhook, event: DomainEvent): NewDelivery {
  const body = JSON.stringify({
    type: event.type,
    eventId: event.id,
    timestamp: new Date(event.createdAt).toISOString(),
    modelName: event.modelName,
    user: event.user,
    data: event.payload,
  });
  return { id: newUuid(), webhookId: hook.id, event, body };
}
