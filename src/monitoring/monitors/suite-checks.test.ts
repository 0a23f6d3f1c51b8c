import { describe, expect, it } from 'vitest';
import { suiteMetrics } from './suite-checks.js';
import { evaluateRule } from './rules.js';
import { parseRule } from './rule-text.js';
import { checkMonitorSpec } from './monitor-spec.js';
import type { ExpectationSuite } from '../../data/expectations.js';

const suite: ExpectationSuite = {
  name: 'bikes',
  expectations: [
    { type: 'expect_column_values_to_not_be_null', column: 'temp', mostly: 0.9 },
    { type: 'expect_column_values_to_be_between', column: 'temp', min: 0, max: 1 },
    { type: 'expect_column_values_to_be_in_set', column: 'season', values: [1, 2, 3, 4], severity: 'warn' },
    { type: 'expect_column_values_to_match_regex', column: 'city', regex: '^[a-z]+$' },
    { type: 'expect_table_row_count_to_be_between', min: 1000 },
  ],
};

describe('data suites on live traffic', () => {
  const features = { temp: [0.2, null, 1.4, 0.5, 0.7], season: [1, 5, 2, 2, 9], city: ['dc', 'DC', 'ny', 'la', undefined] };

  it('gives the failing share per row-level expectation (missing values judged only by not-null) and counts failed error expectations', () => {
    const m = suiteMetrics(suite, features, 5);
    const share = (type: string) => m.find((p) => p.metric === 'expectation_failed_share' && p.method === type)!.value;
    expect(share('expect_column_values_to_not_be_null')).toBeCloseTo(1 / 5, 12); // 80 % present < mostly 0.9: fails
    expect(share('expect_column_values_to_be_between')).toBeCloseTo(1 / 4, 12); // 1.4 of the 4 present
    expect(share('expect_column_values_to_be_in_set')).toBeCloseTo(2 / 5, 12); // warn: reported, not counted
    expect(share('expect_column_values_to_match_regex')).toBeCloseTo(1 / 4, 12);
    expect(m.some((p) => p.method === 'expect_table_row_count_to_be_between')).toBe(false);
    expect(m.find((p) => p.metric === 'suite_failed')!.value).toBe(3);
  });

  it("fires a 'suite_failed > 0' rule and stays quiet on clean rows", () => {
    const rule = parseRule('suite_failed > 0');
    expect(evaluateRule(rule, suiteMetrics(suite, features, 5), {}).state).toBe('firing');
    const clean = { temp: [0.2, 0.3], season: [1, 2], city: ['dc', 'ny'] };
    expect(evaluateRule(rule, suiteMetrics(suite, clean, 2), {}).state).toBe('ok');
  });

  it('refuses a broken suite when the monitor is created', () => {
    const spec = { deployment: 'd', profile: 'p', window: { kind: 'time' as const, ms: 3_600_000 }, rules: [] };
    expect(() => checkMonitorSpec({ ...spec, suite: { name: 's', expectations: [{ type: 'expect_column_values_to_match_regex', column: 'c', regex: '(' }] } as ExpectationSuite })).toThrow(/not a valid regular expression/);
    expect(() => checkMonitorSpec({ ...spec, suite })).not.toThrow();
  });
});
