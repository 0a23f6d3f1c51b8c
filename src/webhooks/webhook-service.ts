/** Webhook subscriptions as users manage them: validation, generated secrets, delivery log reads. */
import { randomBytes } from 'node:crypto';
import type { CreateWebhookInput, CreatedWebhook, DeliveryAttempt, UpdateWebhookInput, Webhook, WebhookDelivery } from './entities.js';
import type { StoredWebhook, WebhookStore } from './webhook-store.js';
import { checkEventPatterns, checkSecret, checkStatus, checkWebhookName, checkWebhookUrl } from './webhook-validation.js';
import { newUuid } from '../core/ids.js';
import { invalidArgument } from '../core/errors.js';
import { sendSigned } from './send-signed.js';
import type { SendResult } from './send-signed.js';

const withoutSecret = ({ secret: _secret, ...w }: StoredWebhook): Webhook => w;

export class WebhookService {
  constructor(
    readonly store: WebhookStore,
    /** Event types the wired sources emit, for refusing subscriptions that could never fire. */
    private readonly knownEventTypes: readonly string[] = [],
  ) {}

  async create(input: CreateWebhookInput): Promise<CreatedWebhook> {
    const secret = input.secret === undefined ? randomBytes(32).toString('base64url') : checkSecret(input.secret);
    const id = newUuid();
    await this.store.createWebhook({
      id,
      name: checkWebhookName(input.name),
      url: checkWebhookUrl(input.url),
      events: checkEventPatterns(input.events, this.knownEventTypes),
      modelName: input.modelName ?? null,
      description: input.description ?? '',
      secret,
      status: input.status === undefined ? 'ACTIVE' : checkStatus(input.status),
      now: Date.now(),
    });
    return { ...(await this.get(id)), secret };
  }

  async get(id: string): Promise<Webhook> {
    return withoutSecret(await this.store.getWebhook(id));
  }

  async list(): Promise<Webhook[]> {
    return (await this.store.listWebhooks()).map(withoutSecret);
  }

  async update(id: string, input: UpdateWebhookInput): Promise<Webhook> {
    if (Object.keys(input).length === 0) throw invalidArgument('Nothing to update: give at least one of name, url, events, modelName, description, secret, status.');
    await this.store.getWebhook(id);
    await this.store.updateWebhook(id, {
      ...(input.name !== undefined ? { name: checkWebhookName(input.name) } : {}),
      ...(input.url !== undefined ? { url: checkWebhookUrl(input.url) } : {}),
      ...(input.events !== undefined ? { events: checkEventPatterns(input.events, this.knownEventTypes) } : {}),
      ...(input.modelName !== undefined ? { modelName: input.modelName } : {}),
      ...(input.description !== undefined ? { description: String(input.description) } : {}),
      ...(input.secret !== undefined ? { secret: checkSecret(input.secret) } : {}),
      ...(input.status !== undefined ? { status: checkStatus(input.status) } : {}),
      updatedAt: Date.now(),
    });
    return this.get(id);
  }

  delete(id: string): Promise<void> {
    return this.store.deleteWebhook(id);
  }

  async deliveries(webhookId: string, limit = 100): Promise<WebhookDelivery[]> {
    await this.store.getWebhook(webhookId);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidArgument(`limit must be an integer in 1..1000, got ${limit}.`, { field: 'limit' });
    return this.store.listDeliveries(webhookId, limit);
  }

  attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    return this.store.listAttempts(deliveryId);
  }

  /** Sends a signed `webhook.test` ping now and answers what the receiver said; nothing is stored. */
  async test(id: string, timeoutMs = 10_000): Promise<SendResult> {
    const hook = await this.store.getWebhook(id);
    const body = JSON.stringify({ type: 'webhook.test', eventId: 0, timestamp: new Date().toISOString(), modelName: null, user: null, data: { webhookId: id } });
    return sendSigned({ url: hook.url, secret: hook.secret, deliveryId: `test-${newUuid()}`, eventType: 'webhook.test', body, timeoutMs });
  }
}
