/**
 * Fits a reference profile from columns (a dataset version's table, or rows of the inference log).
 * One sort per numeric column; nothing of the raw data is kept beyond the bounded sketch.
 */
import type { Value } from '../drift/binning.js';
import { invalidArgument } from '../../core/errors.js';
import { MAX_CATEGORIES, MAX_EXACT_DISTINCT, PLOT_BINS, SKETCH_POINTS, TAIL_POINTS } from './entities.js';
import { sortFloat64 } from './radix-sort.js';
import type { CategoricalColumnProfile, ColumnProfile, NumericColumnProfile, ReferenceProfile } from './entities.js';

export type ColumnKind = 'numeric' | 'categorical';

export interface ProfileInput {
  source: string;
  /** Column name → kind; columns not listed are not profiled. */
  kinds: Record<string, ColumnKind>;
  columns: Record<string, ArrayLike<unknown>>;
}

export const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

export function fitProfile(input: ProfileInput): ReferenceProfile {
  const names = Object.keys(input.kinds);
  if (names.length === 0) throw invalidArgument('A profile needs at least one column; none were given.', {});
  let rowCount = 0;
  const columns: ColumnProfile[] = names.map((name) => {
    const raw = input.columns[name];
    if (!raw) throw invalidArgument(`Column '${name}' is not in the data to profile; columns there: ${Object.keys(input.columns).join(', ')}.`, { column: name });
    rowCount = Math.max(rowCount, raw.length);
    return input.kinds[name] === 'numeric' ? fitNumeric(name, raw) : fitCategorical(name, raw);
  });
  return { formatVersion: 1, source: input.source, rowCount, columns };
}

export function fitNumeric(name: string, raw: ArrayLike<unknown>): NumericColumnProfile {
  const sorted = presentNumbers(name, raw);
  const n = sorted.length;
  const missing = raw.length - n;
  if (n === 0) {
    // An all-missing reference column is kept (its missing share is a finding) but cannot be scored.
    return { name, kind: 'numeric', count: 0, missing, min: NaN, max: NaN, mean: NaN, std: NaN, distinct: 0, exact: true, values: [], counts: [], plot: { edges: [], counts: [] } };
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (sorted[i]! - mean) ** 2;
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n && values.length <= MAX_EXACT_DISTINCT; i++) {
    if (values.length > 0 && values[values.length - 1] === sorted[i]) counts[counts.length - 1]!++;
    else {
      values.push(sorted[i]!);
      counts.push(1);
    }
  }
  const exact = values.length <= MAX_EXACT_DISTINCT;
  const base = { name, kind: 'numeric' as const, count: n, missing, min: sorted[0]!, max: sorted[n - 1]!, mean, std: Math.sqrt(sq / n), plot: plotHistogram(sorted) };
  if (exact) return { ...base, distinct: values.length, exact, values, counts };
  // The TAIL_POINTS lowest and highest values are kept exactly (PSI and KL weigh sparse tail bins
  // heavily); between them, equal-rank points at the middle of each rank stratum, so the sketch's
  // CDF is within 1/(SKETCH_POINTS − 2·TAIL_POINTS) of the data's everywhere.
  const tail = Math.min(TAIL_POINTS, Math.floor(n / 10));
  const inner = SKETCH_POINTS - 2 * tail;
  const middle = n - 2 * tail;
  const points: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < tail; i++) points.push(sorted[i]!), weights.push(1);
  for (let i = 0; i < inner; i++) points.push(sorted[tail + Math.min(middle - 1, Math.floor(((i + 0.5) * middle) / inner))]!), weights.push(middle / inner);
  for (let i = n - tail; i < n; i++) points.push(sorted[i]!), weights.push(1);
  return { ...base, distinct: values.length, exact, values: points, counts: weights };
}

function fitCategorical(name: string, raw: ArrayLike<unknown>): CategoricalColumnProfile {
  const counts = countValues(raw);
  if (counts.size > MAX_CATEGORIES) {
    throw invalidArgument(`Column '${name}' has more than ${MAX_CATEGORIES} distinct values, too many to profile as categorical; leave it out of the monitored columns (an id-like column does not drift meaningfully).`, { column: name });
  }
  let count = 0;
  for (const c of counts.values()) count += c;
  return { name, kind: 'categorical', count, missing: raw.length - count, categories: [...counts.keys()], counts: [...counts.values()] };
}

/** Present numeric values, sorted; a non-number is a type error the caller must see. */
export function presentNumbers(name: string, raw: ArrayLike<unknown>): Float64Array {
  const out = new Float64Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (isMissing(v)) continue;
    if (typeof v !== 'number') throw invalidArgument(`Column '${name}' is numeric but row ${i} holds ${JSON.stringify(v)}; fix the value or profile the column as categorical.`, { column: name, row: i });
    out[n++] = v;
  }
  return sortFloat64(out.subarray(0, n));
}

export function countValues(raw: ArrayLike<unknown>): Map<Value, number> {
  const m = new Map<Value, number>();
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (isMissing(v)) continue;
    m.set(v as Value, (m.get(v as Value) ?? 0) + 1);
  }
  return m;
}

function plotHistogram(sorted: Float64Array): { edges: number[]; counts: number[] } {
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  const width = hi > lo ? (hi - lo) / PLOT_BINS : 1;
  const edges = Array.from({ length: PLOT_BINS + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(PLOT_BINS).fill(0);
  for (let i = 0; i < sorted.length; i++) counts[Math.min(PLOT_BINS - 1, Math.floor((sorted[i]! - lo) / width))]!++;
  return { edges, counts };
}
