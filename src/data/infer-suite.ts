/**
 * Writes a starting suite from a version's profile, as TFDV's infer_schema does: for a person to
 * review, not to trust blindly. The rules, and why:
 * - the column set and each column's type: a renamed, dropped or retyped column is always a break;
 * - not-null: columns with no missing values must stay complete; columns with some may have up to
 *   twice the observed share (missing rates wander between samples);
 * - in-set for text/boolean columns whose every value the profile saw (≤ 50 distinct): a new
 *   category is flagged;
 * - numeric columns: values within the observed min/max (a warning: a new sample's extremes move)
 *   and the mean within ±0.5 standard deviations, so a rescaled feature fails;
 * - unique, for columns whose every value was distinct (identifiers).
 */
import type { DatasetVersion } from './entities.js';
import type { Expectation, ExpectationSuite } from './expectations.js';

export function inferSuite(v: DatasetVersion, name = `${v.name}-suite`): ExpectationSuite {
  const p = v.profile;
  const expectations: Expectation[] = [
    { type: 'expect_table_columns_to_match_set', columns: v.schema.map((c) => c.name) },
  ];
  for (const c of p.columns) {
    expectations.push({ type: 'expect_column_values_to_be_of_type', column: c.name, dataType: c.type });
    if (c.missing === 0) expectations.push({ type: 'expect_column_values_to_not_be_null', column: c.name });
    else expectations.push({ type: 'expect_column_values_to_not_be_null', column: c.name, mostly: floor3(Math.max(0, 1 - 2 * c.missingShare)) });
    if ((c.type === 'string' || c.type === 'boolean') && c.topValues && c.topValues.length === c.distinct && c.distinct > 0 && c.distinct < p.rowCount) {
      expectations.push({ type: 'expect_column_values_to_be_in_set', column: c.name, values: c.topValues.map((t) => t.value as string | boolean) });
    }
    if ((c.type === 'integer' || c.type === 'number') && typeof c.min === 'number' && typeof c.max === 'number') {
      expectations.push({ type: 'expect_column_values_to_be_between', column: c.name, min: c.min, max: c.max, severity: 'warn' });
      if (typeof c.mean === 'number' && typeof c.std === 'number') {
        const half = c.std > 0 ? c.std / 2 : Math.abs(c.mean) * 0.01;
        expectations.push({ type: 'expect_column_mean_to_be_between', column: c.name, min: round6(c.mean - half), max: round6(c.mean + half) });
      }
    }
    if (c.distinct === p.rowCount && c.missing === 0 && p.rowCount > 1) expectations.push({ type: 'expect_column_values_to_be_unique', column: c.name });
  }
  return { name, expectations };
}

const floor3 = (x: number) => Math.floor(x * 1000) / 1000;
const round6 = (x: number) => Number(x.toPrecision(6));
