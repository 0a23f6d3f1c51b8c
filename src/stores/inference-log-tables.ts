/** Kysely types of the inference log tables (migrations 0005, 0010, 0011). */
import type { Generated } from 'kysely';

export interface InferenceLogTable {
  record_id: Generated<number>;
  deployment: string;
  request_id: string;
  ts: number;
  model_name: string;
  model_version: string;
  variant: string;
  inputs: string;
  /** `values`, `oip` or `records` (migration 0011): see serving/inference-log/logged-inputs.ts. */
  inputs_kind: Generated<string>;
  outputs: string;
  latency_ms: number;
}

export interface InferenceLabelsTable {
  deployment: string;
  request_id: string;
  label: string;
  ts: number;
}

export interface InferenceLogTables {
  inference_log: InferenceLogTable;
  inference_labels: InferenceLabelsTable;
}
