/**
 * Expectation types: Great Expectations' names (so its users recognise them) with flat, camelCase
 * arguments beside `type`. Every expectation may carry `severity` (`error`, the default, fails the
 * validation; `warn` is reported but does not) and a free-text `notes`.
 */
import type { ColumnType } from './entities.js';

export type Severity = 'error' | 'warn';
type Scalar = string | number | boolean;

interface Common {
  severity?: Severity;
  notes?: string;
}
/** Share of non-missing values (missing rows for not-null) that must pass, 0..1; default 1. */
interface Mostly {
  mostly?: number;
}
interface Range {
  min?: number | string;
  max?: number | string;
  /** Exclude the bound itself (default false: bounds are inclusive). */
  strictMin?: boolean;
  strictMax?: boolean;
}

export type Expectation = Common &
  (
    | { type: 'expect_column_to_exist'; column: string }
    | { type: 'expect_column_values_to_be_of_type'; column: string; dataType: ColumnType }
    | ({ type: 'expect_column_values_to_not_be_null'; column: string } & Mostly)
    | ({ type: 'expect_column_values_to_be_between'; column: string } & Range & Mostly)
    | ({ type: 'expect_column_values_to_be_in_set'; column: string; values: Scalar[] } & Mostly)
    | ({ type: 'expect_column_values_to_match_regex'; column: string; regex: string } & Mostly)
    | ({ type: 'expect_column_values_to_be_unique'; column: string } & Mostly)
    | { type: 'expect_compound_columns_to_be_unique'; columns: string[] }
    | ({ type: 'expect_table_row_count_to_be_between' } & Range)
    | ({ type: 'expect_column_mean_to_be_between'; column: string } & Range)
    | ({ type: 'expect_column_quantile_to_be_between'; column: string; quantile: number } & Range)
    | { type: 'expect_table_columns_to_match_set'; columns: string[]; exactOrder?: boolean }
  );

export type ExpectationType = Expectation['type'];

export interface ExpectationSuite {
  name: string;
  expectations: Expectation[];
}

type ArgKind = 'column' | 'columns' | 'number' | 'bound' | 'share' | 'boolean' | 'string' | 'values' | 'dataType' | 'quantile';

/** Arguments per type: required ones first (`!`), the rest optional. The parser and docs read this. */
export const EXPECTATION_ARGS: Record<ExpectationType, Record<string, ArgKind | `${ArgKind}!`>> = {
  expect_column_to_exist: { column: 'column!' },
  expect_column_values_to_be_of_type: { column: 'column!', dataType: 'dataType!' },
  expect_column_values_to_not_be_null: { column: 'column!', mostly: 'share' },
  expect_column_values_to_be_between: { column: 'column!', min: 'bound', max: 'bound', strictMin: 'boolean', strictMax: 'boolean', mostly: 'share' },
  expect_column_values_to_be_in_set: { column: 'column!', values: 'values!', mostly: 'share' },
  expect_column_values_to_match_regex: { column: 'column!', regex: 'string!', mostly: 'share' },
  expect_column_values_to_be_unique: { column: 'column!', mostly: 'share' },
  expect_compound_columns_to_be_unique: { columns: 'columns!' },
  expect_table_row_count_to_be_between: { min: 'number', max: 'number' },
  expect_column_mean_to_be_between: { column: 'column!', min: 'number', max: 'number', strictMin: 'boolean', strictMax: 'boolean' },
  expect_column_quantile_to_be_between: { column: 'column!', quantile: 'quantile!', min: 'number', max: 'number', strictMin: 'boolean', strictMax: 'boolean' },
  expect_table_columns_to_match_set: { columns: 'columns!', exactOrder: 'boolean' },
};

export const COLUMN_TYPES: ColumnType[] = ['integer', 'number', 'boolean', 'date', 'timestamp', 'string'];

/** How reports and errors name an expectation: `#3 expect_column_values_to_be_between(age)`. */
export function expectationLabel(e: Expectation, index: number): string {
  const cols = 'columns' in e ? e.columns : [];
  const target = 'column' in e ? e.column : cols.length > 3 ? `${cols.slice(0, 2).join(', ')}, … ${cols.length} columns` : cols.join(', ');
  return `#${index + 1} ${e.type}(${target})`;
}
