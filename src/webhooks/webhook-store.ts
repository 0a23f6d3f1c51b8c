/** Persistence of webhooks, their deliveries and the fan-out cursor. One interface, every backend. */
import type { CreateWebhookInput, DeliveryAttempt, DeliveryStatus, DomainEvent, Webhook, WebhookDelivery } from './entities.js';

export interface StoredWebhook extends Webhook {
  secret: string;
}

/** A delivery claimed for sending: everything needed to send it without another read. */
export interface ClaimedDelivery extends WebhookDelivery {
  url: string;
  secret: string;
  body: string;
}

export interface AttemptResult {
  at: number;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  /** SUCCEEDED, FAILED (no attempts left) or PENDING with the next attempt's time. */
  status: DeliveryStatus;
  nextAttemptAt: number | null;
}

export interface NewDelivery {
  id: string;
  webhookId: string;
  event: DomainEvent;
  body: string;
}

export interface WebhookStore {
  createWebhook(input: Required<Omit<CreateWebhookInput, 'modelName'>> & { id: string; modelName: string | null; now: number }): Promise<void>;
  getWebhook(id: string): Promise<StoredWebhook>;
  listWebhooks(): Promise<StoredWebhook[]>;
  updateWebhook(id: string, changes: Partial<Omit<StoredWebhook, 'id' | 'createdAt'>>): Promise<void>;
  deleteWebhook(id: string): Promise<void>;

  /** Last event id of `source` already turned into deliveries (0 before the first). */
  getCursor(source: string): Promise<number>;
  /**
   * Records deliveries and moves the cursor in one transaction, so a crash between the two can
   * neither lose an event nor deliver it twice; a (webhook, event) pair already recorded is skipped.
   */
  enqueueDeliveries(source: string, toCursor: number, deliveries: NewDelivery[], now: number): Promise<void>;
  /**
   * Leases up to `limit` PENDING deliveries due at `now` for `leaseMs`, so two dispatchers (two
   * server processes on one database) never send the same attempt; an expired lease (a crashed
   * dispatcher) makes the delivery claimable again.
   */
  claimDueDeliveries(now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]>;
  recordAttempt(deliveryId: string, attempt: number, result: AttemptResult): Promise<void>;
  listDeliveries(webhookId: string, limit: number): Promise<WebhookDelivery[]>;
  listAttempts(deliveryId: string): Promise<DeliveryAttempt[]>;
}
