/** 0007: pipeline runs, their step states, the step cache index, schedules, their fires, and triggers. */
import type { Dialect } from '../sql/sql-text.js';

export const pipelineTables = (d: Dialect): string => {
  const big = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  return `
CREATE TABLE pipeline_runs (
  run_id TEXT PRIMARY KEY,
  pipeline TEXT NOT NULL,
  status TEXT NOT NULL,
  tracking_run_id TEXT NOT NULL,
  definition TEXT NOT NULL,
  trigger_name TEXT NOT NULL,
  force_run INTEGER NOT NULL,
  cancel_requested INTEGER NOT NULL,
  error TEXT,
  created_at ${big} NOT NULL,
  ended_at ${big}
);
CREATE INDEX pipeline_runs_by_pipeline ON pipeline_runs (pipeline, created_at);
CREATE INDEX pipeline_runs_by_time ON pipeline_runs (created_at);
CREATE TABLE pipeline_steps (
  run_id TEXT NOT NULL,
  step TEXT NOT NULL,
  position INTEGER NOT NULL,
  status TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  cache_key TEXT,
  tracking_run_id TEXT,
  cached_from_run_id TEXT,
  outputs TEXT NOT NULL,
  input_digests TEXT NOT NULL,
  error TEXT,
  worker TEXT,
  started_at ${big},
  ended_at ${big},
  PRIMARY KEY (run_id, step)
);
-- One entry per (pipeline, step, cache key): the outputs a step produced from exactly these inputs.
CREATE TABLE pipeline_cache (
  pipeline TEXT NOT NULL,
  step TEXT NOT NULL,
  cache_key TEXT NOT NULL,
  outputs TEXT NOT NULL,
  tracking_run_id TEXT NOT NULL,
  created_at ${big} NOT NULL,
  PRIMARY KEY (pipeline, step, cache_key)
);
CREATE TABLE pipeline_schedules (
  name TEXT PRIMARY KEY,
  pipeline_file TEXT NOT NULL,
  cron TEXT NOT NULL,
  timezone TEXT NOT NULL,
  missed_policy TEXT NOT NULL,
  next_fire_at ${big} NOT NULL,
  created_at ${big} NOT NULL
);
-- The primary key makes a fire time happen once however many schedulers see it due.
CREATE TABLE pipeline_schedule_fires (
  schedule TEXT NOT NULL,
  fire_at ${big} NOT NULL,
  run_id TEXT,
  recorded_at ${big} NOT NULL,
  PRIMARY KEY (schedule, fire_at)
);
-- Event triggers (registry, dataset, monitoring alerts) and how far each has read its source.
CREATE TABLE pipeline_triggers (
  name TEXT PRIMARY KEY,
  pipeline_file TEXT NOT NULL,
  source TEXT NOT NULL,
  filter TEXT NOT NULL,
  event_cursor ${big} NOT NULL,
  created_at ${big} NOT NULL
);
`;
};
