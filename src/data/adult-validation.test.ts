/**
 * The real-data acceptance: a suite inferred from adult.data flags what differs in
 * adult.test (its labels end in a dot), and injected faults are caught with the column named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADULT_DIR, ADULT_READ, openDataFixture } from './test-support/data-fixture.js';
import type { DataFixture } from './test-support/data-fixture.js';
import type { ExpectationSuite } from './expectations.js';
import type { ValidationReport } from './validation-report.js';

const failedColumns = (r: ValidationReport) => r.results.filter((x) => !x.success && x.severity === 'error').map((x) => x.label);

describe('Adult census: inferred suite and injected faults', () => {
  let fx: DataFixture;
  let suite: ExpectationSuite;
  let header: string;
  let lines: string[];

  beforeAll(async () => {
    fx = await openDataFixture();
    await fx.data.add({ name: 'adult', source: path.join(ADULT_DIR, 'adult.data'), readOptions: ADULT_READ });
    suite = await fx.data.inferSuite('adult@latest');
    // Faults go into a 3,000-row slice so each file is small; the clean slice must pass.
    [header, ...lines] = fs.readFileSync(path.join(ADULT_DIR, 'adult.data'), 'utf8').trimEnd().split('\n').slice(0, 3001);
  });
  afterAll(async () => fx.close());

  async function validateRows(name: string, head: string, rows: string[]): Promise<ValidationReport> {
    await fx.data.add({ name, source: fx.write(`${name}.csv`, `${[head, ...rows].join('\n')}\n`), readOptions: ADULT_READ });
    return fx.data.validate(`${name}@latest`, suite);
  }
  const mapField = (rows: string[], index: number, f: (v: string, i: number) => string) =>
    rows.map((l, i) => l.split(',').map((v, k) => (k === index ? f(v, i) : v)).join(','));

  it('reads Adult with its null markers and trimmed text, and profiles it', async () => {
    const v = await fx.data.get('adult@1');
    expect(v.rowCount).toBe(32561);
    const workclass = v.profile.columns.find((c) => c.name === 'workclass')!;
    expect(workclass.missing).toBe(1836); // UCI: workclass is '?' on 1,836 rows of adult.data
    expect(workclass.topValues?.[0]).toEqual({ value: 'Private', count: 22696 });
    expect(v.schema.find((c) => c.name === 'age')?.type).toBe('integer');
  });

  it('passes the data it was inferred from, and a clean slice of it', async () => {
    expect((await fx.data.validate('adult@latest', suite)).success).toBe(true);
    expect(failedColumns(await validateRows('clean', header, lines))).toEqual([]);
  });

  it('flags adult.test: its labels end in a dot', async () => {
    await fx.data.add({ name: 'adult-test', source: path.join(ADULT_DIR, 'adult.test'), readOptions: ADULT_READ });
    const report = await fx.data.validate('adult-test@latest', suite);
    expect(report.success).toBe(false);
    const label = report.results.find((r) => r.label.includes('expect_column_values_to_be_in_set(Y)'))!;
    expect(label.success).toBe(false);
    expect(label.unexpectedValues?.map((v) => v.value).sort()).toEqual(['<=50K.', '>50K.']);
    expect(label.unexpectedCount).toBe(16281);
    expect(label.sample?.[0]).toEqual({ row: 1, value: '<=50K.' });
  });

  it('catches a renamed column', async () => {
    const report = await validateRows('renamed', header.replace('hours-per-week', 'hours_per_week'), lines);
    expect(report.success).toBe(false);
    const set = report.results.find((r) => r.expectation.type === 'expect_table_columns_to_match_set')!;
    expect(set.observed).toMatchObject({ missing: ['hours-per-week'], unexpected: ['hours_per_week'] });
    expect(report.results.find((r) => r.label.includes('(hours-per-week)'))?.error).toMatch(/'hours-per-week'.*does not exist/);
  });

  it('catches a feature rescaled ×100', async () => {
    const report = await validateRows('scaled', header, mapField(lines, 0, (v) => String(Number(v) * 100)));
    expect(failedColumns(report)).toContain('#' + (suite.expectations.findIndex((e) => e.type === 'expect_column_mean_to_be_between' && e.column === 'age') + 1) + ' expect_column_mean_to_be_between(age)');
    expect(failedColumns(report).every((l) => l.endsWith('(age)'))).toBe(true);
  });

  it('catches a new category', async () => {
    const report = await validateRows('category', header, mapField(lines, 9, (v, i) => (i % 50 === 0 ? ' Unknown' : v)));
    const sex = report.results.find((r) => r.label.endsWith('expect_column_values_to_be_in_set(sex)'))!;
    expect(sex.success).toBe(false);
    expect(sex.unexpectedValues).toEqual([{ value: 'Unknown', count: 60 }]);
    expect(failedColumns(report)).toEqual([sex.label]);
  });

  it('catches 30% nulls', async () => {
    const report = await validateRows('nulls', header, mapField(lines, 5, (v, i) => (i % 10 < 3 ? ' ?' : v)));
    const nn = report.results.find((r) => r.label.endsWith('expect_column_values_to_not_be_null(marital-status)'))!;
    expect(nn.success).toBe(false);
    expect(nn.unexpectedShare).toBeCloseTo(0.3, 5);
    expect(failedColumns(report)).toEqual([nn.label]);
  });
});
