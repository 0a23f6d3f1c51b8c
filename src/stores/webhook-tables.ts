/** Kysely types of the webhook tables (migration 0004). */
export interface WebhooksTable {
  webhook_id: string;
  name: string;
  url: string;
  /** JSON array of event patterns. */
  events: string;
  model_name: string | null;
  secret: string;
  status: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface WebhookCursorsTable {
  source: string;
  last_event_id: number;
}

export interface WebhookDeliveriesTable {
  delivery_id: string;
  webhook_id: string;
  event_id: number;
  event_type: string;
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  lease_until: number;
  last_response_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveryAttemptsTable {
  delivery_id: string;
  attempt: number;
  at: number;
  response_status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface WebhookTables {
  webhooks: WebhooksTable;
  webhook_cursors: WebhookCursorsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
}
