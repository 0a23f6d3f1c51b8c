/**
 * 0002: the model registry. Models have a surrogate id so a rename is one row; versions are
 * numbered from a per-model counter bumped in the creating transaction (dense under concurrency:
 * the row lock on PostgreSQL, the database lock on SQLite). Every mutation appends to
 * registry_events in its own transaction (the outbox webhooks read).
 */
import type { Dialect } from '../sql/sql-text.js';

export const registryTables = (d: Dialect): string => {
  const big = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  const serialPk = d === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const modelPk = d === 'postgres' ? 'SERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  return `
CREATE TABLE registered_models (
  model_id ${modelPk},
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  creation_time ${big} NOT NULL,
  last_updated_time ${big} NOT NULL,
  next_version INTEGER NOT NULL
);
CREATE TABLE registered_model_tags (
  model_id INTEGER NOT NULL REFERENCES registered_models(model_id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (model_id, key)
);
CREATE TABLE model_versions (
  model_id INTEGER NOT NULL REFERENCES registered_models(model_id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  description TEXT NOT NULL,
  creation_time ${big} NOT NULL,
  last_updated_time ${big} NOT NULL,
  user_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  source TEXT NOT NULL,
  run_id TEXT,
  run_link TEXT,
  status TEXT NOT NULL,
  status_message TEXT,
  package_digest TEXT,
  PRIMARY KEY (model_id, version)
);
CREATE INDEX model_versions_run ON model_versions (run_id);
CREATE TABLE model_version_tags (
  model_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (model_id, version, key),
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version) ON DELETE CASCADE
);
CREATE TABLE model_aliases (
  model_id INTEGER NOT NULL REFERENCES registered_models(model_id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (model_id, alias),
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version) ON DELETE CASCADE
);
CREATE TABLE alias_protections (
  model_id INTEGER NOT NULL REFERENCES registered_models(model_id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  policy TEXT,
  created_by TEXT NOT NULL,
  created_at ${big} NOT NULL,
  PRIMARY KEY (model_id, alias)
);
CREATE TABLE approval_requests (
  approval_id ${serialPk},
  model_id INTEGER NOT NULL REFERENCES registered_models(model_id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  requested_by TEXT NOT NULL,
  reason TEXT,
  status TEXT NOT NULL,
  decided_by TEXT,
  decision_reason TEXT,
  created_at ${big} NOT NULL,
  decided_at ${big}
);
CREATE INDEX approval_requests_model ON approval_requests (model_id, status);
CREATE TABLE alias_history (
  move_id ${serialPk},
  model_id INTEGER NOT NULL REFERENCES registered_models(model_id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  from_version INTEGER,
  to_version INTEGER,
  user_name TEXT NOT NULL,
  at ${big} NOT NULL,
  reason TEXT,
  via TEXT NOT NULL,
  approval_id ${big},
  evidence TEXT
);
CREATE INDEX alias_history_model ON alias_history (model_id, alias, move_id);
CREATE TABLE registry_events (
  event_id ${serialPk},
  type TEXT NOT NULL,
  model_name TEXT,
  version INTEGER,
  payload TEXT NOT NULL,
  user_name TEXT,
  created_at ${big} NOT NULL
);
`;
};
