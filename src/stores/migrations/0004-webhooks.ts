/** 0004: webhook subscriptions, their deliveries (the delivery log) and the event fan-out cursor. */
import type { Dialect } from '../sql/sql-text.js';

export const webhookTables = (d: Dialect): string => {
  const big = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  return `
CREATE TABLE webhooks (
  webhook_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  model_name TEXT,
  secret TEXT NOT NULL,
  status TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at ${big} NOT NULL,
  updated_at ${big} NOT NULL
);
CREATE TABLE webhook_cursors (
  source TEXT PRIMARY KEY,
  last_event_id ${big} NOT NULL
);
CREATE TABLE webhook_deliveries (
  delivery_id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL REFERENCES webhooks(webhook_id) ON DELETE CASCADE,
  event_id ${big} NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at ${big},
  lease_until ${big} NOT NULL,
  last_response_status INTEGER,
  last_error TEXT,
  created_at ${big} NOT NULL,
  updated_at ${big} NOT NULL,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE TABLE webhook_delivery_attempts (
  delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(delivery_id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  at ${big} NOT NULL,
  response_status INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
`;
};
