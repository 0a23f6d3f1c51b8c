/** Every expectation type on a small table whose answers can be checked by eye. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataFixture } from './test-support/data-fixture.js';
import type { DataFixture } from './test-support/data-fixture.js';
import type { Expectation } from './expectations.js';
import { EXPECTATION_ARGS } from './expectations.js';
import { parseSuiteText } from './suite-parser.js';
import { suite } from './suite-builder.js';
import { renderReportHtml, renderReportText } from './render-report.js';

// 6 rows: id unique, (shop, day) has one duplicate pair, price has a null, email one malformed.
const CSV = `id,shop,day,price,email,when
1,north,2024-01-01,10,a@x.io,2024-01-01 08:00:00
2,north,2024-01-02,20,b@x.io,2024-01-02 08:00:00
3,south,2024-01-01,30,c@x.io,2024-01-03 08:00:00
4,south,2024-01-01,,not-an-email,2024-01-04 08:00:00
5,east,2024-01-03,50,e@x.io,2024-01-05 08:00:00
6,west,2024-01-03,60,f@x.io,2024-01-06 08:00:00
`;

describe('expectation types', () => {
  let fx: DataFixture;
  beforeAll(async () => {
    fx = await openDataFixture();
    await fx.data.add({ name: 'shops', source: fx.write('shops.csv', CSV) });
  });
  afterAll(async () => fx.close());

  const one = async (e: Expectation) => (await fx.data.validate('shops@1', { name: 't', expectations: [e] })).results[0];

  it.each<[string, Expectation, boolean]>([
    ['exists', { type: 'expect_column_to_exist', column: 'price' }, true],
    ['type', { type: 'expect_column_values_to_be_of_type', column: 'day', dataType: 'date' }, true],
    ['type mismatch', { type: 'expect_column_values_to_be_of_type', column: 'price', dataType: 'string' }, false],
    ['not null', { type: 'expect_column_values_to_not_be_null', column: 'price' }, false],
    ['not null, mostly', { type: 'expect_column_values_to_not_be_null', column: 'price', mostly: 0.8 }, true],
    ['between', { type: 'expect_column_values_to_be_between', column: 'price', min: 10, max: 60 }, true],
    ['between, strict', { type: 'expect_column_values_to_be_between', column: 'price', min: 10, strictMin: true }, false],
    ['between dates', { type: 'expect_column_values_to_be_between', column: 'when', min: '2024-01-02', max: '2024-12-31' }, false],
    ['in set', { type: 'expect_column_values_to_be_in_set', column: 'shop', values: ['north', 'south', 'east'] }, false],
    ['in set, mostly', { type: 'expect_column_values_to_be_in_set', column: 'shop', values: ['north', 'south', 'east'], mostly: 0.8 }, true],
    ['in set, numbers', { type: 'expect_column_values_to_be_in_set', column: 'id', values: [1, 2, 3, 4, 5, 6] }, true],
    ['regex', { type: 'expect_column_values_to_match_regex', column: 'email', regex: '^[^@]+@[^@]+$' }, false],
    ['unique', { type: 'expect_column_values_to_be_unique', column: 'id' }, true],
    ['not unique', { type: 'expect_column_values_to_be_unique', column: 'shop' }, false],
    ['compound unique', { type: 'expect_compound_columns_to_be_unique', columns: ['shop', 'day'] }, false],
    ['compound unique ok', { type: 'expect_compound_columns_to_be_unique', columns: ['id', 'day'] }, true],
    ['row count', { type: 'expect_table_row_count_to_be_between', min: 6, max: 6 }, true],
    ['mean', { type: 'expect_column_mean_to_be_between', column: 'price', min: 33, max: 35 }, true],
    ['median', { type: 'expect_column_quantile_to_be_between', column: 'price', quantile: 0.5, min: 30, max: 30 }, true],
    ['column set', { type: 'expect_table_columns_to_match_set', columns: ['when', 'email', 'price', 'day', 'shop', 'id'] }, true],
    ['column set, order', { type: 'expect_table_columns_to_match_set', columns: ['when', 'email', 'price', 'day', 'shop', 'id'], exactOrder: true }, false],
  ])('%s', async (_name, e, success) => {
    expect((await one(e)).success).toBe(success);
  });

  it('covers every expectation type in the tests above', () => {
    expect(Object.keys(EXPECTATION_ARGS)).toHaveLength(12);
  });

  it('reports counts, shares, top unexpected values and sample rows', async () => {
    const r = await one({ type: 'expect_compound_columns_to_be_unique', columns: ['shop', 'day'] });
    expect(r).toMatchObject({ unexpectedCount: 2, elementCount: 6 });
    expect(r.sample).toEqual([{ row: 3, value: { shop: 'south', day: '2024-01-01' } }, { row: 4, value: { shop: 'south', day: '2024-01-01' } }]);
    const re = await one({ type: 'expect_column_values_to_match_regex', column: 'email', regex: '@' });
    expect(re).toMatchObject({ unexpectedCount: 1, unexpectedShare: 1 / 6, sample: [{ row: 4, value: 'not-an-email' }], unexpectedValues: [{ value: 'not-an-email', count: 1 }] });
    const nn = await one({ type: 'expect_column_values_to_not_be_null', column: 'price' });
    expect(nn).toMatchObject({ unexpectedCount: 1, elementCount: 6, sample: [{ row: 4, value: null }] });
  });

  it('fails only on error severity; warnings are reported', async () => {
    const report = await fx.data.validate('shops@1', suite('s').notNull('price', { severity: 'warn' }).unique('id').build());
    expect(report.success).toBe(true);
    expect(report.statistics).toEqual({ evaluated: 2, succeeded: 1, failed: 0, warnings: 1 });
  });

  it('reads the same suite from YAML, JSON and the builder', () => {
    const built = suite('s').inSet('shop', ['north'], { mostly: 0.5 }).rowCountBetween({ min: 1 }).build();
    const yaml = parseSuiteText('name: s\nexpectations:\n  - {type: expect_column_values_to_be_in_set, column: shop, values: [north], mostly: 0.5}\n  - type: expect_table_row_count_to_be_between\n    min: 1\n');
    expect(yaml).toEqual(built);
    expect(parseSuiteText(JSON.stringify(built))).toEqual(built);
  });

  it('renders a terminal table and a self-contained, escaped HTML page', async () => {
    const report = await fx.data.validate('shops@1', suite('<script>').matches('email', '@').build());
    const text = renderReportText(report);
    expect(text).toContain('FAIL    #1 expect_column_values_to_match_regex(email)');
    expect(text).toContain('FAILED: 0/1 expectations met');
    const html = renderReportHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/<link|src=/);
    expect(html).toContain('row 4');
  });
});
