/**
 * The inference log's storage layout (migration 0012): records are kept in segments — one row
 * per deployment and minute of an appended batch — instead of one row per record. Measured on this
 * machine (bench/serving.js, perf of the log thread): a row per record cost the log thread ~6.5 µs of CPU
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
import type { InferenceRecord, LabeledRecord, Variant } from '../../serving/inference-log/entities.js';
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
    values.push(r.deployment, r.requestId, r.timestamp, r.modelName, r.modelVersion, r.variant, kind, r.latencyMs, wellFormed(text), JSON.stringify(r.outputs) ?? 'null');
  }
  return values;
}
const WIDTH = 10;

/**
 * A lone surrogate would not survive the database's UTF-8 (it comes back as U+FFFD, three
 * characters longer), and every later record's slice of the segment's inputs would shift.
 */
function wellFormed(text: string): string {
  const s = text as string & { isWellFormed(): boolean; toWellFormed(): string };
  return s.isWellFormed() ? text : s.toWellFormed();
}

/**
 * The time a segment may span: its records' times all lie in one bucket of this length, so a
 * window [from, to) finds its segments as those starting in [from - SEGMENT_SPAN_MS, to) — an
 * index range, wherever the window lies in the log's history.
 */
export const SEGMENT_SPAN_MS = 60_000;
/** A segment's inputs texts stop growing past this many characters (huge bodies, far from V8's and the databases' value limits). */
const MAX_SEGMENT_INPUTS = 8_000_000;

interface OpenSegment {
  row: SegmentRow;
  records: unknown[][];
  inputs: string[];
  inputsLength: number;
}

/**
 * The segments of a batch given as flatRecordValues, records in the order given: one per
 * deployment and SEGMENT_SPAN_MS bucket of time, a new one where the inputs grow too large.
 */
export function segmentsOfValues(values: readonly unknown[]): SegmentRow[] {
  const done: OpenSegment[] = [];
  const open = new Map<string, OpenSegment>();
  for (let i = 0; i < values.length; i += WIDTH) {
    const deployment = values[i] as string;
    const ts = values[i + 2] as number;
    const variant = values[i + 5] as Variant;
    const text = values[i + 8] as string;
    const stored = [values[i + 1], ts, values[i + 3], values[i + 4], variant, values[i + 6], values[i + 7], text.length, JSON.parse(values[i + 9] as string)];
    const key = `${Math.floor(ts / SEGMENT_SPAN_MS)}\u0000${deployment}`;
    let seg = open.get(key);
    if (seg && seg.inputsLength + text.length > MAX_SEGMENT_INPUTS) {
      done.push(seg);
      seg = undefined;
    }
    if (!seg) {
      seg = { row: { deployment, tsMin: ts, tsMax: ts, primaryCount: 0, shadowCount: 0, records: '', inputs: '' }, records: [], inputs: [], inputsLength: 0 };
      open.set(key, seg);
    }
    const { row } = seg;
    if (ts < row.tsMin) row.tsMin = ts;
    if (ts > row.tsMax) row.tsMax = ts;
    if (variant === 'primary') row.primaryCount++;
    else row.shadowCount++;
    seg.records.push(stored);
    seg.inputs.push(text);
    seg.inputsLength += text.length;
  }
  // One native JSON.stringify of nested arrays (half the CPU of concatenating each field's JSON,
  // .scratch measurement); it writes NaN and Infinity as null.
  return [...done, ...open.values()].map(({ row, records, inputs }) => ({ ...row, records: JSON.stringify(records), inputs: inputs.join('') }));
}

/**
 * The segments of records in hand (the PostgreSQL path, in process). Outputs go through their JSON
 * text and back, as they cross to the log thread: one builder for both paths, at the cost of a
 * small parse per record here.
 */
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
  /** Where it was stored (its segment, its place there): the order of records of equal time. */
  segmentId: number;
  index: number;
}

/** The records of one segment inside the filter's window, appended to `into`. */
export function candidatesOfSegment(deployment: string, segmentId: number, records: string, inputs: string, filter: WindowFilter, into: WindowCandidate[]): void {
  let offset = 0;
  let index = -1;
  for (const r of JSON.parse(records) as StoredRecord[]) {
    index++;
    const [requestId, ts, modelName, modelVersion, variant, inputsKind, latencyMs, inputsLength, outputs] = r;
    const start = offset;
    offset = inputsLength === null ? inputs.length : offset + inputsLength;
    if (ts < filter.from || ts >= filter.to) continue;
    if (filter.variant !== undefined && variant !== filter.variant) continue;
    if (filter.modelVersion !== undefined && modelVersion !== filter.modelVersion) continue;
    into.push({ deployment, requestId, timestamp: ts, modelName, modelVersion, variant, inputsText: inputs.slice(start, offset), inputsKind, outputs, latencyMs, segmentId, index });
  }
}

/** The record a candidate stands for, its inputs decoded, with its label. */
export function decodeCandidate(c: WindowCandidate, label: unknown, labelTimestamp: number | null): LabeledRecord {
  return {
    deployment: c.deployment,
    requestId: c.requestId,
    timestamp: c.timestamp,
    modelName: c.modelName,
    modelVersion: c.modelVersion,
    variant: c.variant,
    inputs: readInputs(c.inputsText, c.inputsKind),
    outputs: c.outputs,
    latencyMs: c.latencyMs,
    label,
    labelTimestamp,
  };
}

/** Counts by variant of one segment's records inside [from, to). */
export function countSegment(records: string, from: number, to: number, counts: { primary: number; shadow: number }): void {
  for (const r of JSON.parse(records) as StoredRecord[]) {
    if (r[1] < from || r[1] >= to) continue;
    if (r[4] === 'primary') counts.primary++;
    else counts.shadow++;
  }
}
