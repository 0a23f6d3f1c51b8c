/** WebhookStore over Kysely, shared by SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.js';
import type { WebhookDeliveriesTable, WebhooksTable } from '../webhook-tables.js';
import type { DeliveryAttempt, DeliveryStatus, WebhookDelivery, WebhookStatus } from '../../webhooks/entities.js';
import type { AttemptResult, ClaimedDelivery, NewDelivery, StoredWebhook, WebhookStore } from '../../webhooks/webhook-store.js';
import { notFound } from '../../core/errors.js';

const toWebhook = (r: Selectable<WebhooksTable>): StoredWebhook => ({
  id: r.webhook_id,
  name: r.name,
  url: r.url,
  events: JSON.parse(r.events) as string[],
  modelName: r.model_name,
  status: r.status as WebhookStatus,
  description: r.description,
  secret: r.secret,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toDelivery = (r: Selectable<WebhookDeliveriesTable>): WebhookDelivery => ({
  id: r.delivery_id,
  webhookId: r.webhook_id,
  eventId: r.event_id,
  eventType: r.event_type,
  status: r.status as DeliveryStatus,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastResponseStatus: r.last_response_status,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class SqlWebhookStore implements WebhookStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createWebhook(w: Parameters<WebhookStore['createWebhook']>[0]): Promise<void> {
    await this.db
      .insertInto('webhooks')
      .values({
        webhook_id: w.id,
        name: w.name,
        url: w.url,
        events: JSON.stringify(w.events),
        model_name: w.modelName,
        secret: w.secret,
        status: w.status,
        description: w.description,
        created_at: w.now,
        updated_at: w.now,
      })
      .execute();
  }

  async getWebhook(id: string): Promise<StoredWebhook> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('webhook_id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`Webhook '${id}' does not exist. List webhooks with 'gyre webhooks list'.`, { webhookId: id });
    return toWebhook(row);
  }

  async listWebhooks(): Promise<StoredWebhook[]> {
    const rows = await this.db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('webhook_id').execute();
    return rows.map(toWebhook);
  }

  async updateWebhook(id: string, c: Partial<Omit<StoredWebhook, 'id' | 'createdAt'>>): Promise<void> {
    const result = await this.db
      .updateTable('webhooks')
      .set({
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.url !== undefined ? { url: c.url } : {}),
        ...(c.events !== undefined ? { events: JSON.stringify(c.events) } : {}),
        ...(c.modelName !== undefined ? { model_name: c.modelName } : {}),
        ...(c.secret !== undefined ? { secret: c.secret } : {}),
        ...(c.status !== undefined ? { status: c.status } : {}),
        ...(c.description !== undefined ? { description: c.description } : {}),
        updated_at: c.updatedAt ?? Date.now(),
      })
      .where('webhook_id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound(`Webhook '${id}' does not exist.`, { webhookId: id });
  }

  async deleteWebhook(id: string): Promise<void> {
    const result = await this.db.deleteFrom('webhooks').where('webhook_id', '=', id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound(`Webhook '${id}' does not exist.`, { webhookId: id });
  }

  async getCursor(source: string): Promise<number> {
    const row = await this.db.selectFrom('webhook_cursors').select('last_event_id').where('source', '=', source).executeTakeFirst();
    return row?.last_event_id ?? 0;
  }

  async enqueueDeliveries(source: string, toCursor: number, deliveries: NewDelivery[], now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (deliveries.length) {
        await trx
          .insertInto('webhook_deliveries')
          .values(
            deliveries.map((d) => ({
              delivery_id: d.id,
              webhook_id: d.webhookId,
              event_id: d.event.id,
              event_type: d.event.type,
              body: d.body,
              status: 'PENDING',
              attempts: 0,
              next_attempt_at: now,
              lease_until: 0,
              last_response_status: null,
              last_error: null,
              created_at: now,
              updated_at: now,
            })),
          )
          // Another dispatcher fanned the same event out first: its rows stand.
          .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
          .execute();
      }
      // Only move forward: a dispatcher that read an older cursor must not move it back.
      await trx
        .insertInto('webhook_cursors')
        .values({ source, last_event_id: toCursor })
        .onConflict((oc) =>
          oc.column('source').doUpdateSet({ last_event_id: toCursor }).where('webhook_cursors.last_event_id', '<', toCursor),
        )
        .execute();
    });
  }

  async claimDueDeliveries(now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    // The conditions are repeated outside the sub-select: under PostgreSQL's READ COMMITTED a row
    // another dispatcher leased meanwhile is re-checked against them and skipped.
    const claimed = await this.db
      .updateTable('webhook_deliveries')
      .set({ lease_until: now + leaseMs })
      .where('delivery_id', 'in', (qb) =>
        qb
          .selectFrom('webhook_deliveries')
          .select('delivery_id')
          .where('status', '=', 'PENDING')
          .where('next_attempt_at', '<=', now)
          .where('lease_until', '<', now)
          .orderBy('next_attempt_at')
          .limit(limit),
      )
      .where('status', '=', 'PENDING')
      .where('lease_until', '<', now)
      .returningAll()
      .execute();
    if (claimed.length === 0) return [];
    const hooks = new Map(
      (await this.db.selectFrom('webhooks').select(['webhook_id', 'url', 'secret']).where('webhook_id', 'in', [...new Set(claimed.map((c) => c.webhook_id))]).execute()).map(
        (h) => [h.webhook_id, h],
      ),
    );
    return claimed
      .filter((c) => hooks.has(c.webhook_id))
      .sort((a, b) => (a.next_attempt_at ?? 0) - (b.next_attempt_at ?? 0) || a.event_id - b.event_id)
      .map((c) => ({ ...toDelivery(c), url: hooks.get(c.webhook_id)!.url, secret: hooks.get(c.webhook_id)!.secret, body: c.body }));
  }

  async recordAttempt(deliveryId: string, attempt: number, r: AttemptResult): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_delivery_attempts')
        .values({ delivery_id: deliveryId, attempt, at: r.at, response_status: r.responseStatus, error: r.error, duration_ms: Math.round(r.durationMs) })
        .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
        .execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({
          status: r.status,
          attempts: attempt,
          next_attempt_at: r.nextAttemptAt,
          lease_until: 0,
          last_response_status: r.responseStatus,
          last_error: r.error,
          updated_at: r.at,
        })
        .where('delivery_id', '=', deliveryId)
        .execute();
    });
  }

  async listDeliveries(webhookId: string, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .orderBy('event_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }

  async listAttempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    const rows = await this.db.selectFrom('webhook_delivery_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').execute();
    return rows.map((r) => ({ deliveryId: r.delivery_id, attempt: r.attempt, at: r.at, responseStatus: r.response_status, error: r.error, durationMs: r.duration_ms }));
  }
}
