/** 0001: the tracking tables (MLflow's model, with integer metric series: docs/decisions.md). Landed: never edit. */
import type { Dialect } from '../sql/sql-text.js';

export const trackingTables = (d: Dialect): string => {
  const big = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  const dbl = d === 'postgres' ? 'DOUBLE PRECISION' : 'REAL';
  const serialPk = d === 'postgres' ? 'SERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const withoutRowid = d === 'sqlite' ? ' WITHOUT ROWID' : '';
  const nowMs = d === 'postgres' ? `(extract(epoch from now()) * 1000)::bigint` : `(CAST(strftime('%s','now') AS INTEGER) * 1000)`;
  // Covering lookups by run id, read by search (docs/decisions.md, "Search"): PostgreSQL carries the
  // columns in the unique index itself; SQLite has no INCLUDE, so it gets a second index.
  const runsKey = d === 'postgres' ? 'PRIMARY KEY (run_uuid) INCLUDE (experiment_id, lifecycle_stage)' : 'PRIMARY KEY (run_uuid)';
  const runsScopeIndex = d === 'postgres' ? '' : 'CREATE INDEX runs_scope ON runs (run_uuid, experiment_id, lifecycle_stage);';
  const latestKey = d === 'postgres' ? 'UNIQUE (run_uuid, key) INCLUDE (value, timestamp, step, is_nan)' : 'UNIQUE (run_uuid, key)';
  // is_nan before value: a filter's lookup (run_uuid = ?, key = ?, is_nan = 0, value > ?) then
  // binds more equality columns here than in latest_metrics_order, so SQLite, which has no
  // statistics, picks this index instead of scanning every run's value of the key per run.
  const latestRunIndex = d === 'postgres' ? '' : 'CREATE INDEX latest_metrics_run ON latest_metrics (run_uuid, key, is_nan, value, timestamp, step);';
  return `
CREATE TABLE experiments (
  experiment_id ${serialPk},
  name TEXT NOT NULL UNIQUE,
  artifact_location TEXT NOT NULL,
  lifecycle_stage TEXT NOT NULL DEFAULT 'active',
  creation_time ${big} NOT NULL,
  last_update_time ${big} NOT NULL
);
CREATE TABLE experiment_tags (
  experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (experiment_id, key)
);
CREATE TABLE runs (
  run_uuid TEXT NOT NULL,
  experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
  name TEXT NOT NULL,
  user_id TEXT NOT NULL,
  status TEXT NOT NULL,
  start_time ${big} NOT NULL,
  end_time ${big},
  lifecycle_stage TEXT NOT NULL DEFAULT 'active',
  artifact_uri TEXT NOT NULL,
  deleted_time ${big},
  ${runsKey}
);
CREATE INDEX runs_experiment_start ON runs (experiment_id, start_time);
${runsScopeIndex}
CREATE TABLE params (
  run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_uuid, key)
)${withoutRowid};
CREATE INDEX params_key_value ON params (key, value);
CREATE TABLE tags (
  run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_uuid, key)
)${withoutRowid};
CREATE TABLE latest_metrics (
  series_id ${serialPk},
  run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
  key TEXT NOT NULL,
  value ${dbl} NOT NULL,
  timestamp ${big} NOT NULL,
  step ${big} NOT NULL,
  is_nan INTEGER NOT NULL DEFAULT 0,
  ${latestKey}
);
${latestRunIndex}
-- Search walks this in the order's direction: value order within (key, is_nan), run id as the tie-break.
CREATE INDEX latest_metrics_order ON latest_metrics (key, is_nan, value, run_uuid);
CREATE TABLE metric_points (
  series_id INTEGER NOT NULL,
  step ${big} NOT NULL,
  timestamp ${big} NOT NULL,
  is_nan INTEGER NOT NULL,
  value ${dbl} NOT NULL,
  PRIMARY KEY (series_id, step, timestamp, is_nan, value)
)${withoutRowid};
CREATE TABLE datasets (
  dataset_uuid TEXT PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
  name TEXT NOT NULL,
  digest TEXT NOT NULL,
  source_type TEXT NOT NULL,
  source TEXT NOT NULL,
  schema TEXT,
  profile TEXT,
  UNIQUE (experiment_id, name, digest)
);
CREATE TABLE run_inputs (
  run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
  dataset_uuid TEXT NOT NULL REFERENCES datasets(dataset_uuid),
  context TEXT,
  tags TEXT NOT NULL,
  PRIMARY KEY (run_uuid, dataset_uuid)
);
INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
  VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', ${nowMs}, ${nowMs});
`;
};
