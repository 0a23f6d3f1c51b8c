/**
 * The labelled data a retraining sees: rows of the policy's dataset (the history from before
 * serving) and labelled inference-log records of the deployment (what production saw, with the
 * ground truth that arrived later), each stamped with its time, as one trainer frame. Windows are in
 * the records' own time, so a replay on a simulated clock windows exactly as production would.
 */
import { invalidArgument } from '../core/errors.js';
import type { InferenceLogStore } from '../serving/inference-log/inference-log-store.js';
import { columnFromValues, createFrame, isNullish, selectRows } from '../training/dataset/frame.js';
import type { Frame } from '../training/dataset/frame.js';
import type { RetrainingPolicy } from './entities.js';

export interface FeatureKind {
  name: string;
  numeric: boolean;
}

/** Labelled rows in time order: values per column, and each row's timestamp (epoch ms). */
export interface LabelledRows {
  times: number[];
  values: Record<string, unknown[]>;
}

const DAY = 86_400_000;

/** A date (`2012-03-04`), datetime, Date or epoch-ms value as epoch ms (UTC); NaN if unreadable. */
export function toEpochMs(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (v && typeof v === 'object' && 'toString' in v) return Date.parse(String(v));
  return Number.NaN;
}

/** The dataset's rows with their timestamps (read once per retraining; cheap next to training). */
export function datasetRows(policy: RetrainingPolicy, columns: Record<string, unknown[]>, names: string[]): LabelledRows {
  const timeColumn = policy.data.timeColumn;
  if (!timeColumn) throw invalidArgument(`The policy of '${policy.deployment}' names a dataset but no data.timeColumn to window it by.`, { field: 'data.timeColumn' });
  const time = columns[timeColumn];
  if (!time) throw invalidArgument(`data.timeColumn '${timeColumn}' is not a column of ${policy.data.dataset}.`, { field: 'data.timeColumn' });
  const hour = policy.data.hourColumn ? columns[policy.data.hourColumn] : undefined;
  if (policy.data.hourColumn && !hour) throw invalidArgument(`data.hourColumn '${policy.data.hourColumn}' is not a column of ${policy.data.dataset}.`, { field: 'data.hourColumn' });
  for (const n of names) if (!columns[n]) throw invalidArgument(`Column '${n}' is missing from ${policy.data.dataset}; the policy trains on it.`, { field: 'features', column: n });
  const times = time.map((t, i) => toEpochMs(t) + (hour ? Number(hour[i]) * 3_600_000 : 0));
  return { times, values: Object.fromEntries(names.map((n) => [n, columns[n]!])) };
}

/**
 * Labelled log records in [from, to): one row per record sent. A request of k records needs k
 * labels (an array); a single record takes a scalar label. Anything else is counted and skipped.
 */
export async function inferenceLogRows(log: InferenceLogStore, deployment: string, target: string, features: string[], from: number, to: number): Promise<LabelledRows & { skipped: number }> {
  const records = await log.readWindow({ deployment, from, to, variant: 'primary', labeledOnly: true, limit: 10_000_000 });
  const out: LabelledRows & { skipped: number } = { times: [], values: Object.fromEntries([...features, target].map((n) => [n, [] as unknown[]])), skipped: 0 };
  for (const r of records) {
    const inputs = Array.isArray(r.inputs) ? (r.inputs as Record<string, unknown>[]) : null;
    const labels = inputs && inputs.length === 1 && !Array.isArray(r.label) ? [r.label] : Array.isArray(r.label) ? r.label : null;
    if (!inputs || !labels || labels.length !== inputs.length) {
      out.skipped++;
      continue;
    }
    inputs.forEach((row, i) => {
      out.times.push(r.timestamp);
      for (const f of features) out.values[f]!.push(row?.[f] ?? null);
      out.values[target]!.push(labels[i]);
    });
  }
  return out;
}

/** Rows of `sources` with a timestamp in [from, to), as a frame typed by `kinds` (target included). */
export function windowFrame(sources: LabelledRows[], kinds: FeatureKind[], from: number, to: number): { frame: Frame; times: Float64Array } {
  const keep: { s: LabelledRows; i: number }[] = [];
  for (const s of sources) s.times.forEach((t, i) => t >= from && t < to && keep.push({ s, i }));
  keep.sort((a, b) => a.s.times[a.i]! - b.s.times[b.i]!);
  // An empty string is missing too: CSV files and JSON bodies spell "no value" that way.
  const missing = (v: unknown) => isNullish(v) || v === '';
  const columns = kinds.map((k) => columnFromValues(k.name, keep.map(({ s, i }) => s.values[k.name]![i]), k.numeric, missing));
  return { frame: createFrame(columns), times: Float64Array.from(keep, ({ s, i }) => s.times[i]!) };
}

/** Splits a time-ordered frame at `cut`: training rows before it, evaluation rows from it on. */
export function splitAt(frame: Frame, times: Float64Array, cut: number): { train: Frame; test: Frame } {
  let k = 0;
  while (k < times.length && times[k]! < cut) k++;
  const range = (a: number, b: number) => Uint32Array.from({ length: b - a }, (_, i) => a + i);
  return { train: selectRows(frame, range(0, k)), test: selectRows(frame, range(k, times.length)) };
}

export const days = (n: number) => n * DAY;
