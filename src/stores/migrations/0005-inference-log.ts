/** 0005: the inference log and late-arriving labels (serving writes, monitoring reads). */
import type { Dialect } from '../sql/sql-text.js';

export const inferenceLogTables = (d: Dialect): string => {
  const big = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  const serialPk = d === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const dbl = d === 'postgres' ? 'DOUBLE PRECISION' : 'REAL';
  return `
CREATE TABLE inference_log (
  record_id ${serialPk},
  deployment TEXT NOT NULL,
  request_id TEXT NOT NULL,
  ts ${big} NOT NULL,
  model_name TEXT NOT NULL,
  model_version TEXT NOT NULL,
  variant TEXT NOT NULL,
  inputs TEXT NOT NULL,
  outputs TEXT NOT NULL,
  latency_ms ${dbl} NOT NULL
);
-- Monitoring reads windows of one deployment in time order.
CREATE INDEX inference_log_window ON inference_log (deployment, ts);
CREATE INDEX inference_log_request ON inference_log (deployment, request_id);
CREATE TABLE inference_labels (
  deployment TEXT NOT NULL,
  request_id TEXT NOT NULL,
  label TEXT NOT NULL,
  ts ${big} NOT NULL,
  PRIMARY KEY (deployment, request_id)
);
`;
};
