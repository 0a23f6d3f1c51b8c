/**
 * Drift of a current window against a stored reference profile: the same default test per column,
 * thresholds and dataset verdict as `driftReport` on the raw data (../drift/column-drift.ts), without
 * reading the reference again. Columns missing from the window, or with no values on one side, are
 * reported as skipped with the reason, never tested and never a crash.
 */
import type { Value } from '../drift/binning.js';
import { DRIFT_METHODS, datasetDrift } from '../drift/column-drift.js';
import type { ColumnDrift, ColumnDriftOptions, DatasetDrift, DriftMethod } from '../drift/column-drift.js';
import { hellingerOfShares, jensenShannonOfShares, klOfShares, psiOfShares } from '../drift/stat-tests.js';
import { invalidArgument } from '../../core/errors.js';
import type { CategoricalColumnProfile, ColumnProfile, NumericColumnProfile, ReferenceProfile } from './entities.js';
import { countValues, isMissing } from './fit-profile.js';
import { binnedCounts, binnedFromProfile, chiSquareFromCounts, countsMap, ksFromProfile, sortedSample, unionDistinct, wassersteinFromProfile, zTestFromCounts } from './profile-statistics.js';
import type { SortedSample } from './profile-statistics.js';
import { sortFloat64 } from './radix-sort.js';

const P_VALUE_METHODS = new Set<DriftMethod>(['ks', 'chisquare', 'z']);

export interface SkippedColumn {
  column: string;
  /** `type_mismatch`: the reference profiled the column as numeric and the model declares it categorical, or the reverse. */
  reason: 'missing_from_current' | 'no_values_in_reference' | 'no_values_in_current' | 'type_mismatch';
}

export interface ProfileDriftReport extends DatasetDrift {
  source: string;
  skipped: SkippedColumn[];
}

export interface ScoreOptions {
  columns?: string[];
  perColumn?: Record<string, ColumnDriftOptions>;
  shareThreshold?: number;
  /** Called after each column (long windows show progress on a terminal). */
  onProgress?: (done: number, total: number, column: string) => void;
}

export function scoreProfile(profile: ReferenceProfile, current: Record<string, ArrayLike<unknown>>, options: ScoreOptions = {}): ProfileDriftReport {
  const known = new Set(profile.columns.map((c) => c.name));
  for (const c of options.columns ?? []) if (!known.has(c)) throw invalidArgument(`Column '${c}' is not in the reference profile; profiled columns: ${[...known].join(', ')}.`, { column: c });
  const chosen = options.columns?.length ? profile.columns.filter((c) => options.columns!.includes(c.name)) : profile.columns;
  const results: ColumnDrift[] = [];
  const skipped: SkippedColumn[] = [];
  for (const col of chosen) {
    const raw = current[col.name];
    if (!raw) {
      skipped.push({ column: col.name, reason: 'missing_from_current' });
      continue;
    }
    const drift = scoreColumn(col, raw, options.perColumn?.[col.name]);
    if ('reason' in drift) skipped.push(drift);
    else results.push(drift);
    options.onProgress?.(results.length + skipped.length, chosen.length, col.name);
  }
  return { source: profile.source, ...datasetDrift(results, options.shareThreshold), skipped };
}

/** One column's drift, or why it could not be measured. Values of the wrong type are left out (data quality counts them). */
export function scoreColumn(col: ColumnProfile, raw: ArrayLike<unknown>, options: ColumnDriftOptions = {}): ColumnDrift | SkippedColumn {
  if (options.method !== undefined && !DRIFT_METHODS.includes(options.method)) {
    throw invalidArgument(`Unknown drift method '${options.method}' for column '${col.name}'; use one of ${DRIFT_METHODS.join(', ')}.`, { column: col.name });
  }
  if (col.count === 0) return { column: col.name, reason: 'no_values_in_reference' };
  if (col.kind === 'numeric') {
    const cur = sortedSample(numbersOnly(raw));
    if (cur.sorted.length === 0) return { column: col.name, reason: 'no_values_in_current' };
    return numericDrift(col, cur, options);
  }
  const cur = countValues(raw);
  let m = 0;
  for (const c of cur.values()) m += c;
  if (m === 0) return { column: col.name, reason: 'no_values_in_current' };
  return categoricalDrift(col, cur, m, options);
}

function numbersOnly(raw: ArrayLike<unknown>): Float64Array {
  const out = new Float64Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (typeof v === 'number' && !Number.isNaN(v)) out[n++] = v;
  }
  return sortFloat64(out.subarray(0, n));
}

function verdict(column: string, method: DriftMethod, score: number, options: ColumnDriftOptions, n: number, m: number): ColumnDrift {
  const pValue = P_VALUE_METHODS.has(method);
  const threshold = options.threshold ?? (pValue ? 0.05 : 0.1);
  return { column, method, score, threshold, scoreKind: pValue ? 'p_value' : 'distance', drifted: pValue ? score < threshold : score >= threshold, referenceCount: n, currentCount: m };
}

function numericDrift(ref: NumericColumnProfile, cur: SortedSample, options: ColumnDriftOptions): ColumnDrift {
  const n = ref.count;
  const m = cur.sorted.length;
  const distinct = unionDistinct(ref, cur);
  const method = options.method ?? (n <= 1000 ? (distinct > 5 ? 'ks' : distinct > 2 ? 'chisquare' : 'z') : distinct > 5 ? 'wasserstein' : 'jensenshannon');
  const counts = () => [countsMap(ref.values, ref.counts), countsMap(cur.values, cur.counts)] as const;
  let score: number;
  switch (method) {
    case 'ks':
      score = ksFromProfile(ref, cur);
      break;
    case 'wasserstein':
      score = wassersteinFromProfile(ref, cur);
      break;
    case 'chisquare':
      score = chiSquareFromCounts(...counts(), n, m);
      break;
    case 'z':
      score = zTestFromCounts(...counts(), n, m);
      break;
    default:
      score = distance(method, (fill) => binnedFromProfile(ref, cur, fill));
  }
  return verdict(ref.name, method, score, options, n, m);
}

function categoricalDrift(ref: CategoricalColumnProfile, cur: Map<Value, number>, m: number, options: ColumnDriftOptions): ColumnDrift {
  const n = ref.count;
  const refCounts = countsMap(ref.categories, ref.counts);
  const method = options.method ?? (n <= 1000 ? (new Set([...refCounts.keys(), ...cur.keys()]).size > 2 ? 'chisquare' : 'z') : 'jensenshannon');
  if (method === 'ks' || method === 'wasserstein') throw invalidArgument(`Method '${method}' needs a numeric column; '${ref.name}' is categorical.`, { column: ref.name, method });
  const score =
    method === 'chisquare' ? chiSquareFromCounts(refCounts, cur, n, m) : method === 'z' ? zTestFromCounts(refCounts, cur, n, m) : distance(method, (fill) => binnedCounts(refCounts, cur, n, m, fill));
  return verdict(ref.name, method, score, options, n, m);
}

function distance(method: DriftMethod, bin: (fillZeroes: boolean) => ReturnType<typeof binnedCounts>): number {
  switch (method) {
    case 'psi':
      return psiOfShares(bin(true));
    case 'kl_div':
      return klOfShares(bin(true));
    case 'hellinger':
      return hellingerOfShares(bin(false));
    default:
      return jensenShannonOfShares(bin(false));
  }
}

/** Missing values in a raw column, for data quality beside drift. */
export function missingCount(raw: ArrayLike<unknown>): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) if (isMissing(raw[i])) n++;
  return n;
}
