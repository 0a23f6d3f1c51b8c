/** What a validation produces: one result per expectation and an overall verdict. */
import type { Expectation, Severity } from './expectations.js';
import type { ValueCount } from './entities.js';

export interface BadValue {
  /** 1-based data row (header excluded; for several files, counted across them in order). */
  row: number;
  value: unknown;
}

export interface ExpectationResult {
  index: number;
  /** e.g. `#3 expect_column_values_to_be_between(age)` */
  label: string;
  expectation: Expectation;
  severity: Severity;
  success: boolean;
  /** What was measured: the statistic for aggregate expectations, counts/ranges for value ones. */
  observed: unknown;
  /** Values the expectation looked at (non-missing ones, or all rows for not-null). */
  elementCount?: number;
  unexpectedCount?: number;
  unexpectedShare?: number;
  /** The most frequent unexpected values with their counts (up to 10). */
  unexpectedValues?: ValueCount[];
  /** The first unexpected values with their row numbers (up to 10). */
  sample?: BadValue[];
  /** Set when the expectation could not be evaluated (e.g. its column does not exist). */
  error?: string;
}

export interface ValidationReport {
  dataset: { name: string; version: number; digest: string; source: string };
  suite: string;
  /** False when any `error`-severity expectation failed; warnings never fail a validation. */
  success: boolean;
  statistics: { evaluated: number; succeeded: number; failed: number; warnings: number };
  rowCount: number;
  results: ExpectationResult[];
  createdAt: number;
  durationMs: number;
}
