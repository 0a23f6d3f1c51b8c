/** Kysely types of the inference log tables (migrations 0005, 0012). */
import type { Generated } from 'kysely';

/** One deployment's records of one minute of an appended batch: stores/sql/inference-log-segments.ts. */
export interface InferenceLogSegmentsTable {
  segment_id: Generated<number>;
  deployment: string;
  ts_min: number;
  ts_max: number;
  primary_count: number;
  shadow_count: number;
  records: string;
  inputs: string;
}

export interface InferenceLabelsTable {
  deployment: string;
  request_id: string;
  label: string;
  ts: number;
}

export interface InferenceLogTables {
  inference_log_segments: InferenceLogSegmentsTable;
  inference_labels: InferenceLabelsTable;
}
