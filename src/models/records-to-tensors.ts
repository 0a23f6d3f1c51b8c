/**
 * Records (`[{feature: value}]`, the raw values a person or app has) to the ONNX Runtime feeds the
 * graph takes, per the manifest. Every record is checked first: a missing feature, a wrong type or
 * an unknown category (when the feature says 'error') is a 400 naming the record and the field.
 */
import ort from 'onnxruntime-node';
import { invalidArgument } from '../core/errors.js';
import type { FeatureSpec, GyreModelManifest } from './manifest.js';
import type { GraphTensor } from './onnx-graph.js';

type Row = Record<string, unknown>;

function checkValue(f: FeatureSpec, value: unknown, at: string): unknown {
  if (value === undefined) throw invalidArgument(`${at}: feature '${f.name}' is missing; this model takes ${f.type} '${f.name}'.`, { field: f.name });
  // null means missing: numeric features become NaN, which Gyre's trained graphs impute.
  if (value === null && (f.type === 'number' || f.type === 'integer')) return Number.NaN;
  const ok =
    (f.type === 'number' && typeof value === 'number') ||
    (f.type === 'integer' && typeof value === 'number' && Number.isInteger(value)) ||
    (f.type === 'string' && typeof value === 'string') ||
    (f.type === 'boolean' && typeof value === 'boolean');
  if (!ok) throw invalidArgument(`${at}: feature '${f.name}' must be ${f.type === 'integer' ? 'an integer' : `a ${f.type}`}, got ${JSON.stringify(value)}.`, { field: f.name });
  if (f.categories && f.unknownCategory === 'error' && !f.categories.includes(value as string | number)) {
    const shown = f.categories.slice(0, 12).map((c) => JSON.stringify(c)).join(', ');
    throw invalidArgument(`${at}: feature '${f.name}' has category ${JSON.stringify(value)}, unseen in training; known: ${shown}${f.categories.length > 12 ? ', …' : ''}.`, { field: f.name });
  }
  return value;
}

function typedArray(datatype: string | null, n: number): { data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | string[]; type: ort.Tensor.Type } {
  switch (datatype) {
    case 'FP32':
      return { data: new Float32Array(n), type: 'float32' };
    case 'FP64':
      return { data: new Float64Array(n), type: 'float64' };
    case 'INT64':
      return { data: new BigInt64Array(n), type: 'int64' };
    case 'INT32':
      return { data: new Int32Array(n), type: 'int32' };
    case 'BOOL':
      return { data: new Uint8Array(n), type: 'bool' };
    case 'BYTES':
      return { data: new Array<string>(n).fill(''), type: 'string' };
    default:
      throw invalidArgument(`Records cannot feed a ${datatype} input; send tensors through the OIP endpoint instead.`, { datatype });
  }
}

/** `graphInputs` gives each tensor's datatype and rank (`[N]` vs `[N, k]`). */
export function recordsToFeeds(records: unknown, manifest: GyreModelManifest, graphInputs: readonly Pick<GraphTensor, 'name' | 'datatype' | 'shape'>[]): Record<string, ort.Tensor> {
  if (!Array.isArray(records) || records.length === 0) throw invalidArgument('"records" must be a non-empty list of {feature: value} objects.', { field: 'records' });
  const rows = records as Row[];
  rows.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw invalidArgument(`records[${i}] must be an object of feature values.`, { field: `records[${i}]` });
  });
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of graphInputs) {
    const features = manifest.inputs.filter((f) => f.tensor === input.name);
    const width = Math.max(1, ...features.map((f) => (f.column ?? 0) + 1));
    const { data, type } = typedArray(input.datatype, rows.length * width);
    rows.forEach((row, i) => {
      for (const f of features) {
        const v = checkValue(f, row[f.name], `records[${i}]`);
        const at = i * width + (f.column ?? 0);
        if (type === 'int64') (data as BigInt64Array)[at] = BigInt(Math.trunc(Number(v)));
        else if (type === 'bool') (data as Uint8Array)[at] = v ? 1 : 0;
        else if (type === 'string') (data as string[])[at] = String(v);
        else (data as Float32Array)[at] = Number(v);
      }
    });
    const dims = input.shape.length <= 1 ? [rows.length] : [rows.length, width];
    feeds[input.name] = new ort.Tensor(type, data as never, dims);
  }
  return feeds;
}

/** A plausible record when a manifest has no input example: first category, else zero, '' or false. */
export function syntheticRecord(manifest: GyreModelManifest): Row {
  return Object.fromEntries(
    manifest.inputs.map((f) => [f.name, f.categories?.length ? f.categories[0] : f.type === 'string' ? '' : f.type === 'boolean' ? false : 0]),
  );
}
