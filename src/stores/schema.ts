/**
 * Kysely table types shared by the SQLite and PostgreSQL backends. Times are epoch milliseconds
 * (BIGINT in PostgreSQL, parsed to JS numbers by the pool: they stay far below 2^53).
 */
import type { Generated } from 'kysely';
import type { WebhookTables } from './webhook-tables.js';
import type { RegistryTables } from './registry-tables.js';
import type { InferenceLogTables } from './inference-log-tables.js';
import type { DeploymentTables } from './deployment-tables.js';
import type { DataTables } from './data-tables.js';
import type { RetrainingTables } from './retraining-tables.js';
import type { MonitoringTables } from './monitoring-tables.js';
import type { PipelineTables } from './pipeline-tables.js';

export interface ExperimentsTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
}

export interface ExperimentTagsTable {
  experiment_id: number;
  key: string;
  value: string;
}

export interface RunsTable {
  run_uuid: string;
  experiment_id: number;
  name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
  deleted_time: number | null;
}

export interface KeyValueTable {
  run_uuid: string;
  key: string;
  value: string;
}

/** One row per (run, metric key): the series id that metric_points hang off, and the latest value. */
export interface LatestMetricsTable {
  series_id: Generated<number>;
  run_uuid: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

/** The full history. WITHOUT ROWID on SQLite, clustered by (series_id, step, ...): see docs/decisions.md. */
export interface MetricPointsTable {
  series_id: number;
  step: number;
  timestamp: number;
  is_nan: number;
  value: number;
}

export interface DatasetsTable {
  dataset_uuid: string;
  experiment_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

export interface RunInputsTable {
  run_uuid: string;
  dataset_uuid: string;
  context: string | null;
  tags: string;
}

export interface TrackingTables {
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  runs: RunsTable;
  params: KeyValueTable;
  tags: KeyValueTable;
  latest_metrics: LatestMetricsTable;
  metric_points: MetricPointsTable;
  datasets: DatasetsTable;
  run_inputs: RunInputsTable;
}

/**
 * Every table of the shared database. Each domain declares its tables in its own interface
 * (`registry-tables.ts`, `data-tables.ts`, ...) and is added here.
 */
export interface Database extends TrackingTables, RegistryTables, DataTables, WebhookTables, InferenceLogTables, DeploymentTables, PipelineTables, MonitoringTables, RetrainingTables {}
