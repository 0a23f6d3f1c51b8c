/**
 * Argument checks for tracking, run once in TrackingService before any store is touched, so a bad
 * request changes nothing and says exactly which field is wrong and what would be accepted.
 */
import { invalidArgument } from '../core/errors.js';
import { LIMITS } from './limits.js';
import { RUN_STATUSES } from './entities.js';
import type { DatasetInput, LogBatch, Metric, RunStatus, ViewType } from './entities.js';

// MLflow's rule for metric, param and tag names: these characters, and no path tricks, because
// names can become file names in artifact layouts.
const VALID_NAME = /^[/\w.\- :]*$/;

export function checkName(kind: 'metric' | 'param' | 'tag', key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw invalidArgument(`A ${kind} needs a non-empty string 'key'.`, { kind });
  if (key.length > LIMITS.maxKeyLength) {
    throw invalidArgument(`The ${kind} key '${key.slice(0, 40)}…' has ${key.length} characters; the limit is ${LIMITS.maxKeyLength}.`, { kind, length: key.length });
  }
  if (!VALID_NAME.test(key)) {
    throw invalidArgument(`Invalid ${kind} name '${key}': names may only contain letters, digits, underscores, dashes, periods, spaces, colons and slashes.`, { kind, key });
  }
  const segments = key.split('/');
  if (key.startsWith('/') || segments.includes('..') || segments.includes('.') || key.includes('//')) {
    throw invalidArgument(`Invalid ${kind} name '${key}': it must be a normalised relative path (no leading '/', '.', '..' or '//').`, { kind, key });
  }
  return key;
}

export function checkString(field: string, value: unknown, maxLength: number, opts: { allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw invalidArgument(`'${field}' must be a string, got ${describe(value)}.`, { field });
  if (!opts.allowEmpty && value.length === 0) throw invalidArgument(`'${field}' must not be empty.`, { field });
  if (value.length > maxLength) {
    throw invalidArgument(`'${field}' has ${value.length} characters; the limit is ${maxLength}.`, { field, length: value.length, limit: maxLength });
  }
  return value;
}

export function checkInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalidArgument(`'${field}' must be an integer (int64 within ±2^53), got ${describe(value)}.`, { field });
  }
  return value;
}

export function checkRunStatus(value: unknown): RunStatus {
  if (!RUN_STATUSES.includes(value as RunStatus)) {
    throw invalidArgument(`Run status '${String(value)}' is not valid; use one of ${RUN_STATUSES.join(', ')}.`, { status: value });
  }
  return value as RunStatus;
}

export function checkViewType(value: unknown): ViewType {
  if (value === undefined || value === null) return 'ACTIVE_ONLY';
  if (value !== 'ACTIVE_ONLY' && value !== 'DELETED_ONLY' && value !== 'ALL') {
    throw invalidArgument(`View type '${String(value)}' is not valid; use ACTIVE_ONLY, DELETED_ONLY or ALL.`, { viewType: value });
  }
  return value;
}

export function checkMaxResults(value: unknown, limit: number): number {
  if (value === undefined || value === null) return LIMITS.defaultSearchResults;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > limit) {
    throw invalidArgument(`max_results must be an integer from 1 to ${limit}, got ${describe(value)}.`, { maxResults: value });
  }
  return value;
}

/**
 * `validKeys` lets a batch check each distinct key once: a 500-point batch usually holds a
 * handful of keys, and the name rules cost more than the rest of the checks (bench/log-batch.js).
 */
export function checkMetric(m: Metric, validKeys?: Set<string>): Metric {
  if (!validKeys?.has(m.key)) {
    checkName('metric', m.key);
    validKeys?.add(m.key);
  }
  if (typeof m.value !== 'number') {
    throw invalidArgument(`Metric '${m.key}' needs a numeric value (NaN and ±Infinity are allowed), got ${describe(m.value)}.`, { key: m.key });
  }
  // The field names are built only when a check fails.
  const timestamp = Number.isSafeInteger(m.timestamp) ? m.timestamp : checkInteger(`timestamp of metric '${m.key}'`, m.timestamp);
  const step = Number.isSafeInteger(m.step) ? m.step : checkInteger(`step of metric '${m.key}'`, m.step);
  return { key: m.key, value: m.value, timestamp, step };
}

export function checkBatch(batch: LogBatch): Required<LogBatch> {
  const metrics = batch.metrics ?? [];
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  if (metrics.length > LIMITS.maxMetricsPerBatch) {
    throw invalidArgument(`A batch may hold at most ${LIMITS.maxMetricsPerBatch} metrics; this one has ${metrics.length}. Split it.`, { metrics: metrics.length });
  }
  if (params.length > LIMITS.maxParamsPerBatch) {
    throw invalidArgument(`A batch may hold at most ${LIMITS.maxParamsPerBatch} params; this one has ${params.length}. Split it.`, { params: params.length });
  }
  if (tags.length > LIMITS.maxTagsPerBatch) {
    throw invalidArgument(`A batch may hold at most ${LIMITS.maxTagsPerBatch} tags; this one has ${tags.length}. Split it.`, { tags: tags.length });
  }
  const total = metrics.length + params.length + tags.length;
  if (total > LIMITS.maxEntitiesPerBatch) {
    throw invalidArgument(`A batch may hold at most ${LIMITS.maxEntitiesPerBatch} metrics, params and tags together; this one has ${total}.`, { total });
  }
  const validKeys = new Set<string>();
  return {
    metrics: metrics.map((m) => checkMetric(m, validKeys)),
    params: params.map((p) => ({ key: checkName('param', p.key), value: checkString(`value of param '${p.key}'`, p.value, LIMITS.maxParamValueLength, { allowEmpty: true }) })),
    tags: tags.map((t) => ({ key: checkName('tag', t.key), value: checkString(`value of tag '${t.key}'`, t.value, LIMITS.maxTagValueLength, { allowEmpty: true }) })),
  };
}

export function checkDatasetInputs(inputs: DatasetInput[]): DatasetInput[] {
  return inputs.map((input, i) => {
    const d = input?.dataset;
    if (!d || typeof d !== 'object') throw invalidArgument(`datasets[${i}] needs a 'dataset' object.`, { index: i });
    const opt = (field: string, v: unknown, max: number) => (v === undefined || v === null ? undefined : checkString(`datasets[${i}].dataset.${field}`, v, max, { allowEmpty: true }));
    const schema = opt('schema', d.schema, LIMITS.maxDatasetSchemaLength);
    const profile = opt('profile', d.profile, LIMITS.maxDatasetProfileLength);
    return {
      dataset: {
        name: checkString(`datasets[${i}].dataset.name`, d.name, LIMITS.maxDatasetNameLength),
        digest: checkString(`datasets[${i}].dataset.digest`, d.digest, LIMITS.maxDatasetDigestLength),
        sourceType: checkString(`datasets[${i}].dataset.source_type`, d.sourceType, LIMITS.maxDatasetSourceLength),
        source: checkString(`datasets[${i}].dataset.source`, d.source, LIMITS.maxDatasetSourceLength),
        ...(schema !== undefined ? { schema } : {}),
        ...(profile !== undefined ? { profile } : {}),
      },
      tags: (input.tags ?? []).map((t, j) => ({
        key: checkString(`datasets[${i}].tags[${j}].key`, t.key, LIMITS.maxInputTagKeyLength),
        value: checkString(`datasets[${i}].tags[${j}].value`, t.value, LIMITS.maxInputTagValueLength, { allowEmpty: true }),
      })),
    };
  });
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string '${value.slice(0, 40)}'`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
