/**
 * A data suite (the expectations a dataset was validated with, docs/data.md) checked on live
 * traffic: each row-level expectation — not null, between, in set, regex — is evaluated on the
 * window's rows of its column, giving the share of rows that fail it (`expectation_failed_share`,
 * feature = column, method = expectation type) and `suite_failed`, the number of error-severity
 * expectations whose passing share fell below their `mostly`. Alert on it with a threshold rule
 * (`suite_failed > 0`). Table-level expectations (row counts, means, quantiles, uniqueness, column
 * sets) describe a dataset, not a window of requests; they are not evaluated here.
 */
import type { Expectation, ExpectationSuite } from '../../data/expectations.js';
import type { MetricPoint } from './entities.js';

type RowLevel = Extract<Expectation, { type: 'expect_column_values_to_not_be_null' | 'expect_column_values_to_be_between' | 'expect_column_values_to_be_in_set' | 'expect_column_values_to_match_regex' }>;

const ROW_LEVEL = new Set(['expect_column_values_to_not_be_null', 'expect_column_values_to_be_between', 'expect_column_values_to_be_in_set', 'expect_column_values_to_match_regex']);

export const isRowLevel = (e: Expectation): e is RowLevel => ROW_LEVEL.has(e.type);

const missing = (v: unknown) => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

function compare(v: unknown, bound: number | string): number {
  if (typeof bound === 'number') return Number(v) - bound;
  const s = String(v);
  return s < bound ? -1 : s > bound ? 1 : 0;
}

/** Whether one present value passes; missing values are judged only by not-null (as Great Expectations does). */
function passes(e: RowLevel, v: unknown, regex: RegExp | null): boolean {
  switch (e.type) {
    case 'expect_column_values_to_not_be_null':
      return !missing(v);
    case 'expect_column_values_to_be_between': {
      if (e.min !== undefined) {
        const c = compare(v, e.min);
        if (Number.isNaN(c) || (e.strictMin ? c <= 0 : c < 0)) return false;
      }
      if (e.max !== undefined) {
        const c = compare(v, e.max);
        if (Number.isNaN(c) || (e.strictMax ? c >= 0 : c > 0)) return false;
      }
      return true;
    }
    case 'expect_column_values_to_be_in_set':
      return e.values.some((x) => x === v || String(x) === String(v));
    case 'expect_column_values_to_match_regex':
      return regex!.test(String(v));
  }
}

export function suiteMetrics(suite: ExpectationSuite, features: Record<string, unknown[]>, rows: number): MetricPoint[] {
  const out: MetricPoint[] = [];
  let failed = 0;
  for (const e of suite.expectations) {
    if (!isRowLevel(e)) continue;
    const values = features[e.column] ?? new Array<unknown>(rows).fill(undefined);
    const regex = e.type === 'expect_column_values_to_match_regex' ? new RegExp(e.regex) : null;
    let judged = 0;
    let bad = 0;
    for (const v of values) {
      if (e.type !== 'expect_column_values_to_not_be_null' && missing(v)) continue;
      judged++;
      if (!passes(e, v, regex)) bad++;
    }
    const share = judged === 0 ? 0 : bad / judged;
    out.push({ metric: 'expectation_failed_share', feature: e.column, method: e.type, value: share });
    if ((e.severity ?? 'error') === 'error' && judged > 0 && 1 - share < (e.mostly ?? 1)) failed++;
  }
  out.push({ metric: 'suite_failed', feature: '', method: '', value: failed });
  return out;
}
