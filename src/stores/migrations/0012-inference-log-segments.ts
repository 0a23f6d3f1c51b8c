/**
 * 0012: the inference log in segments — a row per deployment and minute of an appended batch —
 * instead of a row per record (why, and the layout: stores/sql/inference-log-segments.ts). Records
 * already logged move over as one-record segments, in the order they were appended.
 */
import type { Dialect } from '../sql/sql-text.js';

export const inferenceLogSegments = (d: Dialect): string => {
  const big = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  const pk = d === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY';
  // [requestId, ts, modelName, modelVersion, variant, inputsKind, latencyMs, inputsLength, outputs]; a
  // null length is the whole inputs column (SQL's length() counts characters, not UTF-16 units).
  // PostgreSQL could hold a NaN latency, which its JSON would write as a string: null, as new records.
  const record =
    d === 'postgres'
      ? `json_build_array(json_build_array(request_id, ts, model_name, model_version, variant, inputs_kind, CASE WHEN latency_ms IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE latency_ms END, NULL, outputs::json))::text`
      : `json_array(json_array(request_id, ts, model_name, model_version, variant, inputs_kind, latency_ms, NULL, json(outputs)))`;
  return `
CREATE TABLE inference_log_segments (
  segment_id ${pk},
  deployment TEXT NOT NULL,
  ts_min ${big} NOT NULL,
  ts_max ${big} NOT NULL,
  primary_count INTEGER NOT NULL,
  shadow_count INTEGER NOT NULL,
  records TEXT NOT NULL,
  inputs TEXT NOT NULL
);
-- A segment spans at most a minute: a window [from, to) reads those with ts_min in [from - 1 min, to)
-- and ts_max >= from, an index range wherever the window lies (inference-log-segments.ts).
CREATE INDEX inference_log_segments_window ON inference_log_segments (deployment, ts_min, ts_max);
INSERT INTO inference_log_segments (deployment, ts_min, ts_max, primary_count, shadow_count, records, inputs)
  SELECT deployment, ts, ts, CASE WHEN variant = 'primary' THEN 1 ELSE 0 END, CASE WHEN variant = 'primary' THEN 0 ELSE 1 END, ${record}, inputs
  FROM inference_log ORDER BY record_id;
DROP TABLE inference_log;
`;
};
