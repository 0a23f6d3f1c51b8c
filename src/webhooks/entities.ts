/**
 * Webhooks: HTTP subscriptions to Gyre's domain events (the registry's first). Delivery is
 * at-least-once: every event a subscription matches becomes one delivery row, retried with
 * exponential backoff until the receiver answers 2xx or the attempts run out, and every attempt is
 * logged. Receivers deduplicate by the delivery id, which stays the same across retries.
 */

/** An event as an event source (the registry's outbox) hands it over, in increasing id order. */
export interface DomainEvent {
  id: number;
  /** Dotted `entity.action`, e.g. `model_version.created`, `model_alias.moved`. */
  type: string;
  /** The registered model the event concerns, when there is one (subscriptions can filter on it). */
  modelName: string | null;
  payload: unknown;
  user: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface EventSource {
  /** Events with id > afterId, oldest first, at most `limit`. */
  listEvents(afterId: number, limit: number): Promise<DomainEvent[]>;
  /** The event types it can emit, so a subscription that could never fire is refused. */
  readonly eventTypes?: readonly string[];
}

export type WebhookStatus = 'ACTIVE' | 'DISABLED';

export interface Webhook {
  id: string;
  name: string;
  url: string;
  /** Event types, exact (`model_version.created`), by entity (`model_version.*`) or all (`*`). */
  events: string[];
  /** Only events of this registered model; null: every model. */
  modelName: string | null;
  status: WebhookStatus;
  description: string;
  createdAt: number;
  updatedAt: number;
}

/** What creating a webhook answers: the only time the signing secret is shown. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface CreateWebhookInput {
  name: string;
  url: string;
  events: string[];
  modelName?: string | null;
  description?: string;
  /** At least 16 characters; generated (32 random bytes, base64url) when absent. */
  secret?: string;
  status?: WebhookStatus;
}

export interface UpdateWebhookInput {
  name?: string;
  url?: string;
  events?: string[];
  modelName?: string | null;
  description?: string;
  secret?: string;
  status?: WebhookStatus;
}

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: number;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due (PENDING only). */
  nextAttemptAt: number | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface DeliveryAttempt {
  deliveryId: string;
  attempt: number;
  at: number;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}
