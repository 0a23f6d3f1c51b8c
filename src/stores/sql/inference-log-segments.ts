/**
 * The inference log's storage layout (migration 0012): records are kept in segments — one row
 * per deployment per appended batch — instead of one row per record. Measured on this machine
 * (bench/serving.js, perf of the log thread): a row per record cost the log thread ~6.5 µs of CPU
 * per logged request, half of it the kernel writing the WAL pages of rows and index entries; as
 * segments it costs ~3 µs. Reads decode the segments a window overlaps and keep the records
 * inside it (sql-inference-log-store.ts).
 *
 * A segment row: deployment; ts_min/ts_max, its records' time span, for the window index; counts
 * by variant; `records`, `[[requestId, ts, modelName, modelVersion, variant, inputsKind,
 * latencyMs, inputsLength, outputs], …]` in JSON; `inputs`, the records' inputs texts one after
 * another (as logged-inputs.ts stores them: the request body as received, or the logged values'
 * JSON), each `inputsLength` UTF-16 units long. Kept apart so a request body is copied as it is
 * rather than escaped into the JSON (escaping 1,000-row bodies made logging them dearer than the
 * row layout was). A null length means the rest of the column: one-record segments made by the
 * migration, where SQL counts characters, not UTF-16 units.
 */
import type { InferenceRecord, Variant } from '../../serving/inference-log/entities.js';
import { readInputs, storedInputs } from '../../serving/inference-log/logged-inputs.js';

export interface SegmentRow {
  deployment: string;
  tsMin: number;
  tsMax: number;
  primaryCount: number;
  shadowCount: number;
  records: string;
  inputs: string;
}

export const SEGMENT_COLUMNS = 'deployment, ts_min, ts_max, primary_count, shadow_count, records, inputs';
/** A segment's values in SEGMENT_COLUMNS order. */
export const segmentValues = (s: SegmentRow): unknown[] => [s.deployment, s.tsMin, s.tsMax, s.primaryCount, s.shadowCount, s.records, s.inputs];

/**
 * A batch's records as one flat array of their values, 10 per record: deployment, requestId, ts,
 * modelName, modelVersion, variant, inputsKind, latencyMs, inputsText, outputsJson. The threaded
 * appender posts this to its worker: cloning strings costs the serving thread a quarter of cloning
 * the records, and the segments are built on the log thread (the serving thread is the one that
 * bounds throughput; bench/serving.js leaves the log thread's core two-thirds idle).
 */
export function flatRecordValues(records: readonly InferenceRecord[]): unknown[] {
  // Pushed, not preallocated: a holey array is cloned as a sparse one, key by key.
  const values: unknown[] = [];
  for (const r of records) {
    const { kind, text = 'null' } = storedInputs(r);
    values.push(r.deployment, r.requestId, r.timestamp, r.modelName, r.modelVersion, r.variant, kind, r.latencyMs, text, JSON.stringify(r.outputs) ?? 'null');
  }
  return values;
}
const WIDTH = 10;

/** The segments of a batch given as flatRecordValues: one per deployment, records in the order given. */
export function segmentsOfValues(values: readonly unknown[]): SegmentRow[] {
  const byDeployment = new Map<string, { row: SegmentRow; records: unknown[][]; inputs: string[] }>();
  for (let i = 0; i < values.length; i += WIDTH) {
    const deployment = values[i] as string;
    const ts = values[i + 2] as number;
    const variant = values[i + 5] as Variant;
    const text = values[i + 8] as string;
    const stored = [values[i + 1], ts, values[i + 3], values[i + 4], variant, values[i + 6], values[i + 7], text.length, JSON.parse(values[i + 9] as string)];
    const seg = byDeployment.get(deployment);
    if (!seg) {
      const row = { deployment, tsMin: ts, tsMax: ts, primaryCount: variant === 'primary' ? 1 : 0, shadowCount: variant === 'primary' ? 0 : 1, records: '', inputs: '' };
      byDeployment.set(deployment, { row, records: [stored], inputs: [text] });
      continue;
    }
    const { row } = seg;
    if (ts < row.tsMin) row.tsMin = ts;
    if (ts > row.tsMax) row.tsMax = ts;
    if (variant === 'primary') row.primaryCount++;
    else row.shadowCount++;
    seg.records.push(stored);
    seg.inputs.push(text);
  }
  // One native JSON.stringify of nested arrays (half the CPU of concatenating each field's JSON,
  // .scratch measurement); it writes NaN and Infinity as null.
  return [...byDeployment.values()].map(({ row, records, inputs }) => ({ ...row, records: JSON.stringify(records), inputs: inputs.join('') }));
}

export const segmentsOf = (records: readonly InferenceRecord[]): SegmentRow[] => segmentsOfValues(flatRecordValues(records));

type StoredRecord = [requestId: string, ts: number, modelName: string, modelVersion: string, variant: Variant, inputsKind: string, latencyMs: number, inputsLength: number | null, outputs: unknown];

export interface WindowFilter {
  from: number;
  to: number;
  modelVersion?: string;
  variant?: Variant;
}

/** A record of a window before its inputs are decoded (many are dropped by label or limit first). */
export interface WindowCandidate extends Omit<InferenceRecord, 'inputs' | 'request'> {
  inputsText: string;
  inputsKind: string;
}

/** The records of one segment inside the filter's window, appended to `into`. */
export function candidatesOfSegment(deployment: string, records: string, inputs: string, filter: WindowFilter, into: WindowCandidate[]): void {
  let offset = 0;
  for (const r of JSON.parse(records) as StoredRecord[]) {
    const [requestId, ts, modelName, modelVersion, variant, inputsKind, latencyMs, inputsLength, outputs] = r;
    const start = offset;
    offset = inputsLength === null ? inputs.length : offset + inputsLength;
    if (ts < filter.from || ts >= filter.to) continue;
    if (filter.variant !== undefined && variant !== filter.variant) continue;
    if (filter.modelVersion !== undefined && modelVersion !== filter.modelVersion) continue;
    into.push({ deployment, requestId, timestamp: ts, modelName, modelVersion, variant, inputsText: inputs.slice(start, offset), inputsKind, outputs, latencyMs });
  }
}

/** The record a candidate stands for, its inputs decoded. */
export function decodeCandidate(c: WindowCandidate): InferenceRecord {
  const { inputsText, inputsKind, ...record } = c;
  return { ...record, inputs: readInputs(inputsText, inputsKind) };
}

/** Counts by variant of one segment's records inside [from, to). */
export function countSegment(records: string, from: number, to: number, counts: { primary: number; shadow: number }): void {
  for (const r of JSON.parse(records) as StoredRecord[]) {
    if (r[1] < from || r[1] >= to) continue;
    if (r[4] === 'primary') counts.primary++;
    else counts.shadow++;
  }
}
