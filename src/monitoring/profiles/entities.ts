/**
 * A reference profile: what drift scoring needs from the reference data, fitted once and stored, so
 * scoring a window never re-reads the reference (docs/monitoring.md, "Reference profiles").
 *
 * Numeric columns keep their distribution as sorted `values` with `counts`: exact (every distinct
 * value with its count) when the column has at most MAX_EXACT_DISTINCT distinct values; otherwise a
 * quantile sketch of SKETCH_POINTS points: the TAIL_POINTS lowest and highest values exactly, and
 * equal-rank points between them whose CDF is within 1/8,000 of the true one everywhere. Categorical columns keep every
 * category with its count (at most MAX_CATEGORIES). A fixed-width histogram is kept for plots.
 */
import type { Value } from '../drift/binning.js';

export const MAX_EXACT_DISTINCT = 10_000;
export const SKETCH_POINTS = 10_000;
/** Of which the lowest and highest values kept exactly, each way. */
export const TAIL_POINTS = 1_000;
export const MAX_CATEGORIES = 10_000;
export const PLOT_BINS = 30;

export interface NumericColumnProfile {
  name: string;
  kind: 'numeric';
  /** Non-missing values. */
  count: number;
  missing: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (ddof 0), as the normalized Wasserstein divides by. */
  std: number;
  /** Distinct values: exact when `exact`, else a lower bound (> MAX_EXACT_DISTINCT). */
  distinct: number;
  exact: boolean;
  /** Sorted ascending. Exact: the distinct values. Sketch: equal-rank quantile points. */
  values: number[];
  /** Rows each entry of `values` stands for (integers when exact). */
  counts: number[];
  /** PLOT_BINS equal-width bins over [min, max], for reports. */
  plot: { edges: number[]; counts: number[] };
}

export interface CategoricalColumnProfile {
  name: string;
  kind: 'categorical';
  count: number;
  missing: number;
  categories: Value[];
  counts: number[];
}

export type ColumnProfile = NumericColumnProfile | CategoricalColumnProfile;

export interface ReferenceProfile {
  formatVersion: 1;
  /** Where it was fitted from, e.g. `bikes@3` or `inference-log:bikes[2012-01-01,2012-02-01)`. */
  source: string;
  rowCount: number;
  columns: ColumnProfile[];
}

/** A stored profile: the fitted body under an id and a name people use. */
export interface StoredProfile {
  id: string;
  name: string;
  source: string;
  rowCount: number;
  createdAt: number;
  profile: ReferenceProfile;
}
