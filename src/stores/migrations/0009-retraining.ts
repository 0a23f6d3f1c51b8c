/** 0009: continuous-training policies and their decisions. */
import type { Dialect } from '../sql/sql-text.js';

export const retrainingTables = (d: Dialect): string => {
  const big = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  const serialPk = d === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  return `
CREATE TABLE retraining_policies (
  deployment TEXT PRIMARY KEY,
  policy TEXT NOT NULL,
  updated_at ${big} NOT NULL
);
-- No foreign key: decisions outlive a deleted policy.
CREATE TABLE retraining_events (
  event_id ${serialPk},
  deployment TEXT NOT NULL,
  at ${big} NOT NULL,
  trigger_name TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  run_id TEXT,
  version ${big},
  champion_version ${big},
  detail TEXT NOT NULL
);
CREATE INDEX retraining_events_by_deployment ON retraining_events (deployment, at);
`;
};
