/**
 * MLflow's JSON wire format (protobuf JSON with preserving_proto_field_name): snake_case fields,
 * int64 as JSON numbers, doubles possibly "NaN"/"Infinity", unset and empty fields omitted.
 * Requests: unknown fields are ignored and int64 may arrive as numbers or numeric strings.
 */
import type { Dataset, DatasetInput, Experiment, Metric, Run, RunInfo, Tag } from '../../tracking/entities.js';
import { encodeDouble, decodeDouble } from '../../core/json-numbers.js';
import { invalidArgument } from '../../core/errors.js';
import { describe as describeValue } from '../../tracking/validation.js';

type Json = Record<string, unknown>;

const compact = (obj: Json): Json => {
  for (const [k, v] of Object.entries(obj)) if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) delete obj[k];
  return obj;
};

export const experimentToWire = (e: Experiment): Json =>
  compact({
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: e.tags,
  });

export const runInfoToWire = (i: RunInfo): Json =>
  compact({
    run_id: i.runId,
    run_uuid: i.runId,
    run_name: i.runName,
    experiment_id: i.experimentId,
    user_id: i.userId,
    status: i.status,
    start_time: i.startTime,
    end_time: i.endTime,
    artifact_uri: i.artifactUri,
    lifecycle_stage: i.lifecycleStage,
  });

export const metricToWire = (m: Metric): Json => ({ key: m.key, value: encodeDouble(m.value), timestamp: m.timestamp, step: m.step });

const datasetToWire = (d: Dataset): Json =>
  compact({ name: d.name, digest: d.digest, source_type: d.sourceType, source: d.source, schema: d.schema, profile: d.profile });

export const runToWire = (r: Run): Json => ({
  info: runInfoToWire(r.info),
  data: compact({ metrics: r.data.metrics.map(metricToWire), params: r.data.params, tags: r.data.tags }),
  inputs: compact({ dataset_inputs: r.inputs.datasetInputs.map((d) => compact({ tags: d.tags, dataset: datasetToWire(d.dataset) })) }),
});

// ---- request side ----

export function optString(body: Json, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidArgument(`Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected a string.`, { field });
  return v;
}

export function reqString(body: Json, field: string): string {
  const v = optString(body, field);
  if (v === undefined || v === '') throw invalidArgument(`Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`, { field });
  return v;
}

export function optInt64(body: Json, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw invalidArgument(`Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected an integer.`, { field });
  }
  return n;
}

export function reqDouble(body: Json, field: string): number {
  const v = decodeDouble(body[field]);
  if (v === undefined) {
    if (body[field] === undefined || body[field] === null) throw invalidArgument(`Missing value for required parameter '${field}'.`, { field });
    throw invalidArgument(`Invalid value ${JSON.stringify(body[field])} for parameter '${field}' supplied: expected a number.`, { field });
  }
  return v;
}

export function optStringList(body: Json, field: string): string[] | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v]; // a single query-string value arrives unwrapped
  return list.map((x, i) => {
    if (typeof x !== 'string' && typeof x !== 'number') throw invalidArgument(`Invalid value for '${field}[${i}]': expected a string, got ${describeValue(x)}.`, { field });
    return String(x);
  });
}

function objects(body: Json, field: string): Json[] {
  const v = body[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidArgument(`Invalid value for '${field}': expected a list, got ${describeValue(v)}.`, { field });
  return v.map((x, i) => {
    if (!x || typeof x !== 'object' || Array.isArray(x)) throw invalidArgument(`Invalid value for '${field}[${i}]': expected an object, got ${describeValue(x)}.`, { field });
    return x as Json;
  });
}

export const tagsFromWire = (body: Json, field = 'tags'): Tag[] =>
  objects(body, field).map((t) => ({ key: reqString(t, 'key'), value: optString(t, 'value') ?? '' }));

export const paramsFromWire = (body: Json): Tag[] => tagsFromWire(body, 'params');

export const metricsFromWire = (body: Json): Metric[] =>
  objects(body, 'metrics').map((m, i) => {
    // Required in a batch as in log-metric (MLflow's _log_batch checks metrics[i].timestamp).
    const timestamp = optInt64(m, 'timestamp');
    if (timestamp === undefined) {
      throw invalidArgument(`Missing value for required parameter 'metrics[${i}].timestamp'.`, { field: `metrics[${i}].timestamp` });
    }
    return { key: reqString(m, 'key'), value: reqDouble(m, 'value'), timestamp, step: optInt64(m, 'step') ?? 0 };
  });

export const datasetInputsFromWire = (body: Json): DatasetInput[] =>
  objects(body, 'datasets').map((d) => {
    const ds = (d.dataset ?? {}) as Json;
    const schema = optString(ds, 'schema');
    const profile = optString(ds, 'profile');
    return {
      tags: tagsFromWire(d),
      dataset: {
        name: reqString(ds, 'name'),
        digest: reqString(ds, 'digest'),
        sourceType: reqString(ds, 'source_type'),
        source: reqString(ds, 'source'),
        ...(schema !== undefined ? { schema } : {}),
        ...(profile !== undefined ? { profile } : {}),
      },
    };
  });
