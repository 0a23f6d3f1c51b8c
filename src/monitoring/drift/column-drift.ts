/**
 * Drift of one column and of a whole dataset, with Evidently's default test per column:
 * reference ≤ 1000 rows → KS for numeric columns with > 5 distinct values, chi-square for 3+
 * values (or categorical with > 2), z-test for ≤ 2; above 1000 rows → normalized Wasserstein for
 * numeric with > 5 values, Jensen-Shannon otherwise. Thresholds: 0.05 for p-values (drift below),
 * 0.1 for distances (drift at or above). The dataset drifts when ≥ 50% of its columns do. Every
 * choice can be overridden per column.
 */
import type { Value } from './binning.js';
import { chiSquare, hellinger, jensenShannon, klDivergence, ksPValue, ksStatistic, proportionZTest, psi, wassersteinNormed } from './stat-tests.js';
import { invalidArgument } from '../../core/errors.js';

export const DRIFT_METHODS = ['ks', 'chisquare', 'z', 'wasserstein', 'jensenshannon', 'psi', 'kl_div', 'hellinger'] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];
const P_VALUE_METHODS = new Set<DriftMethod>(['ks', 'chisquare', 'z']);

export interface ColumnDriftOptions {
  method?: DriftMethod;
  threshold?: number;
}

export interface ColumnDrift {
  column: string;
  method: DriftMethod;
  /** p-value for ks/chisquare/z, distance otherwise. */
  score: number;
  threshold: number;
  /** 'p_value' (drift when score < threshold) or 'distance' (drift when score ≥ threshold). */
  scoreKind: 'p_value' | 'distance';
  drifted: boolean;
  referenceCount: number;
  currentCount: number;
}

export function defaultMethod(reference: readonly Value[], current: readonly Value[], numeric: boolean): DriftMethod {
  const distinct = new Set([...reference, ...current]).size;
  if (reference.length <= 1000) {
    if (numeric && distinct > 5) return 'ks';
    return distinct > 2 ? 'chisquare' : 'z';
  }
  return numeric && distinct > 5 ? 'wasserstein' : 'jensenshannon';
}

function score(method: DriftMethod, reference: readonly Value[], current: readonly Value[], numeric: boolean): number {
  switch (method) {
    case 'ks':
      return ksPValue(ksStatistic(reference as number[], current as number[]), reference.length, current.length);
    case 'chisquare':
      return chiSquare(reference, current).pValue;
    case 'z':
      return proportionZTest(reference, current).pValue;
    case 'wasserstein':
      return wassersteinNormed(reference as number[], current as number[]);
    case 'jensenshannon':
      return jensenShannon(reference, current, numeric);
    case 'psi':
      return psi(reference, current, numeric);
    case 'kl_div':
      return klDivergence(reference, current, numeric);
    case 'hellinger':
      return hellinger(reference, current, numeric);
  }
}

/** Missing values (null, undefined, NaN) are left out of both samples, as Evidently drops them. */
const present = (xs: readonly unknown[]): Value[] => xs.filter((x): x is Value => x !== null && x !== undefined && !(typeof x === 'number' && Number.isNaN(x)));

export function columnDrift(column: string, referenceRaw: readonly unknown[], currentRaw: readonly unknown[], numeric: boolean, options: ColumnDriftOptions = {}): ColumnDrift {
  const reference = present(referenceRaw);
  const current = present(currentRaw);
  if (reference.length === 0 || current.length === 0) {
    throw invalidArgument(`Column '${column}' has no non-missing values in the ${reference.length === 0 ? 'reference' : 'current'} data; drift cannot be measured.`, { column });
  }
  if (options.method !== undefined && !DRIFT_METHODS.includes(options.method)) {
    throw invalidArgument(`Unknown drift method '${options.method}' for column '${column}'; use one of ${DRIFT_METHODS.join(', ')}.`, { column });
  }
  const method = options.method ?? defaultMethod(reference, current, numeric);
  if ((method === 'ks' || method === 'wasserstein') && !numeric) throw invalidArgument(`Method '${method}' needs a numeric column; '${column}' is categorical.`, { column, method });
  const pValue = P_VALUE_METHODS.has(method);
  const threshold = options.threshold ?? (pValue ? 0.05 : 0.1);
  const s = score(method, reference, current, numeric);
  return {
    column,
    method,
    score: s,
    threshold,
    scoreKind: pValue ? 'p_value' : 'distance',
    drifted: pValue ? s < threshold : s >= threshold,
    referenceCount: reference.length,
    currentCount: current.length,
  };
}

export interface DatasetDrift {
  columns: ColumnDrift[];
  driftedShare: number;
  /** Share of drifted columns at which the dataset counts as drifted (default 0.5). */
  shareThreshold: number;
  drifted: boolean;
}

export function datasetDrift(columns: ColumnDrift[], shareThreshold = 0.5): DatasetDrift {
  const driftedShare = columns.length ? columns.filter((c) => c.drifted).length / columns.length : 0;
  return { columns, driftedShare, shareThreshold, drifted: columns.length > 0 && driftedShare >= shareThreshold };
}
