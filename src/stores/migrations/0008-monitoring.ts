/** 0008: monitoring — reference profiles, monitors, per-window results as time series, alerts and their outbox. */
import type { Dialect } from '../sql/sql-text.js';

export const monitoringTables = (d: Dialect): string => {
  const big = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  const serialPk = d === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const dbl = d === 'postgres' ? 'DOUBLE PRECISION' : 'REAL';
  return `
CREATE TABLE monitoring_profiles (
  profile_id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  row_count ${big} NOT NULL,
  created_at ${big} NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE monitors (
  name TEXT PRIMARY KEY,
  deployment TEXT NOT NULL,
  spec TEXT NOT NULL,
  next_window_start ${big} NOT NULL,
  last_run_at ${big},
  last_error TEXT,
  created_at ${big} NOT NULL,
  updated_at ${big} NOT NULL
);
CREATE TABLE monitor_windows (
  monitor TEXT NOT NULL,
  window_start ${big} NOT NULL,
  window_end ${big} NOT NULL,
  row_count ${big} NOT NULL,
  evaluated_at ${big} NOT NULL,
  summary TEXT NOT NULL,
  PRIMARY KEY (monitor, window_start)
);
-- The time series: one row per (monitor, metric, feature, window); a late figure (performance once labels arrive) replaces its row.
CREATE TABLE monitor_metrics (
  monitor TEXT NOT NULL,
  metric TEXT NOT NULL,
  feature TEXT NOT NULL,
  window_start ${big} NOT NULL,
  window_end ${big} NOT NULL,
  method TEXT NOT NULL,
  value ${dbl} NOT NULL,
  PRIMARY KEY (monitor, metric, feature, window_start)
);
CREATE TABLE monitor_alerts (
  alert_id ${serialPk},
  monitor TEXT NOT NULL,
  deployment TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL,
  value ${dbl},
  window_start ${big},
  raised_at ${big} NOT NULL,
  resolved_at ${big}
);
-- Deduplication: at most one firing alert per monitor and rule, whoever writes.
CREATE UNIQUE INDEX monitor_alerts_one_firing ON monitor_alerts (monitor, rule) WHERE status = 'firing';
CREATE INDEX monitor_alerts_by_monitor ON monitor_alerts (monitor, alert_id);
-- Outbox of alert events for webhooks (event source 'monitoring'), written in the alert's transaction.
CREATE TABLE monitoring_events (
  event_id ${serialPk},
  type TEXT NOT NULL,
  alert_id ${big} NOT NULL,
  payload TEXT NOT NULL,
  created_at ${big} NOT NULL
);
`;
};
