/** Database rows → tracking entities. Kept in one place so both dialects read alike. */
import type { Selectable } from 'kysely';
import type { ExperimentsTable, LatestMetricsTable, MetricPointsTable, RunsTable } from '../schema.js';
import type { Experiment, LifecycleStage, Metric, RunInfo, RunStatus, Tag } from '../../tracking/entities.js';

export function toExperiment(row: Selectable<ExperimentsTable>, tags: Tag[]): Experiment {
  return {
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    creationTime: Number(row.creation_time),
    lastUpdateTime: Number(row.last_update_time),
    tags,
  };
}

export function toRunInfo(row: RunsTable): RunInfo {
  return {
    runId: row.run_uuid,
    runName: row.name,
    experimentId: String(row.experiment_id),
    userId: row.user_id,
    status: row.status as RunStatus,
    startTime: Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    artifactUri: row.artifact_uri,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
  };
}

/** NaN is stored as value 0 with is_nan = 1 (SQLite turns a NaN REAL into NULL). */
export function storedValue(value: number): { value: number; is_nan: number } {
  return Number.isNaN(value) ? { value: 0, is_nan: 1 } : { value, is_nan: 0 };
}

export function toMetric(key: string, row: Pick<MetricPointsTable | LatestMetricsTable, 'value' | 'is_nan' | 'timestamp' | 'step'>): Metric {
  return {
    key,
    value: row.is_nan ? Number.NaN : Number(row.value),
    timestamp: Number(row.timestamp),
    step: Number(row.step),
  };
}
