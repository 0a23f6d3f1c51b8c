/**
 * Evaluates an expectation suite against table `data`: each expectation becomes SQL (a count of
 * unexpected rows, a statistic, or a look at the schema), so validation costs a few scans in
 * DuckDB whatever the row count. Rows are numbered by `rowid + 1`, i.e. file order.
 */
import type { ColumnSchema, ValueCount } from '../entities.js';
import type { Expectation, ExpectationSuite } from '../expectations.js';
import { expectationLabel } from '../expectations.js';
import type { ExpectationResult } from '../validation-report.js';
import type { DuckSession } from './duckdb-session.js';
import { sqlIdent, sqlString } from './duckdb-session.js';

const SAMPLE = 10;
// Shares are compared with a little slack so `mostly: 0.95` passes at exactly 95%.
const EPS = 1e-12;

type Outcome = Omit<ExpectationResult, 'index' | 'label' | 'expectation' | 'severity'>;

export async function validateTable(duck: DuckSession, schema: ColumnSchema[], suite: ExpectationSuite, where: string): Promise<ExpectationResult[]> {
  const [{ __n }] = await duck.all<{ __n: string }>('SELECT count(*) AS __n FROM data');
  const rows = Number(__n);
  const results: ExpectationResult[] = [];
  for (const [index, e] of suite.expectations.entries()) {
    const label = expectationLabel(e, index);
    const head = { index, label, expectation: e, severity: e.severity ?? 'error' } as const;
    const missing = columnsOf(e).filter((c) => !schema.some((s) => s.name === c));
    if (missing.length && e.type !== 'expect_table_columns_to_match_set') {
      const error = `column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `'${c}'`).join(', ')} named by ${label} do${missing.length > 1 ? '' : 'es'} not exist in ${where} (columns: ${schema.map((s) => s.name).join(', ')})`;
      results.push({ ...head, success: false, observed: { missingColumns: missing }, error });
      continue;
    }
    try {
      results.push({ ...head, ...(await evaluate(duck, schema, e, rows)) });
    } catch (err) {
      results.push({ ...head, success: false, observed: null, error: `${label} could not be evaluated: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  return results;
}

function columnsOf(e: Expectation): string[] {
  if ('column' in e) return [e.column];
  if (e.type === 'expect_compound_columns_to_be_unique') return e.columns;
  return [];
}

async function evaluate(duck: DuckSession, schema: ColumnSchema[], e: Expectation, rows: number): Promise<Outcome> {
  const typeOf = (c: string) => schema.find((s) => s.name === c)!.type;
  switch (e.type) {
    case 'expect_column_to_exist':
      return { success: true, observed: typeOf(e.column) };
    case 'expect_column_values_to_be_of_type':
      return { success: typeOf(e.column) === e.dataType, observed: typeOf(e.column) };
    case 'expect_table_columns_to_match_set': {
      const actual = schema.map((s) => s.name);
      const missing = e.columns.filter((c) => !actual.includes(c));
      const unexpected = actual.filter((c) => !e.columns.includes(c));
      const orderOk = !e.exactOrder || actual.join('\u0000') === e.columns.join('\u0000');
      return { success: missing.length === 0 && unexpected.length === 0 && orderOk, observed: { columns: actual, missing, unexpected } };
    }
    case 'expect_table_row_count_to_be_between':
      return { success: inRange(rows, e), observed: rows };
    case 'expect_column_mean_to_be_between':
    case 'expect_column_quantile_to_be_between': {
      const v = `CAST(${sqlIdent(e.column)} AS DOUBLE)`;
      const stat = e.type === 'expect_column_mean_to_be_between' ? `avg(${v})` : `quantile_cont(${v}, ${e.quantile})`;
      const [{ __s }] = await duck.all<{ __s: number | null }>(`SELECT ${stat} AS __s FROM data`);
      const observed = __s === null ? null : Number(__s);
      return { success: observed !== null && inRange(observed, e), observed };
    }
    default:
      return valueExpectation(duck, schema, e, rows);
  }
}

function inRange(x: number, e: { min?: number | string; max?: number | string; strictMin?: boolean; strictMax?: boolean }): boolean {
  const min = e.min === undefined ? undefined : Number(e.min);
  const max = e.max === undefined ? undefined : Number(e.max);
  if (min !== undefined && (e.strictMin ? x <= min : x < min)) return false;
  if (max !== undefined && (e.strictMax ? x >= max : x > max)) return false;
  return true;
}

/** Row-level expectations: a predicate marking unexpected rows, counted and sampled. */
async function valueExpectation(duck: DuckSession, schema: ColumnSchema[], e: Expectation, rows: number): Promise<Outcome> {
  const cols = columnsOf(e);
  const v = sqlIdent(cols[0]);
  const type = schema.find((s) => s.name === cols[0])!.type;
  let bad: string;
  let from = 'data';
  let base = `count(${v})`; // values looked at: non-missing ones
  let mostly = 1;
  switch (e.type) {
    case 'expect_column_values_to_not_be_null':
      bad = `${v} IS NULL`;
      base = 'count(*)';
      mostly = e.mostly ?? 1;
      break;
    case 'expect_column_values_to_be_between': {
      const lit = (x: number | string) => (typeof x === 'number' ? String(x) : `CAST(${sqlString(x)} AS ${type === 'timestamp' ? 'TIMESTAMP' : type === 'date' ? 'DATE' : 'DOUBLE'})`);
      const parts = [];
      if (e.min !== undefined) parts.push(`${v} ${e.strictMin ? '<=' : '<'} ${lit(e.min)}`);
      if (e.max !== undefined) parts.push(`${v} ${e.strictMax ? '>=' : '>'} ${lit(e.max)}`);
      bad = `${v} IS NOT NULL AND (${parts.join(' OR ')})`;
      mostly = e.mostly ?? 1;
      break;
    }
    case 'expect_column_values_to_be_in_set': {
      const numeric = (type === 'integer' || type === 'number') && e.values.every((x) => typeof x === 'number');
      const list = numeric ? e.values.join(', ') : e.values.map((x) => sqlString(String(x))).join(', ');
      const col = numeric ? v : `CAST(${v} AS VARCHAR)`;
      bad = e.values.length ? `${v} IS NOT NULL AND ${col} NOT IN (${list})` : `${v} IS NOT NULL`;
      mostly = e.mostly ?? 1;
      break;
    }
    case 'expect_column_values_to_match_regex':
      bad = `${v} IS NOT NULL AND NOT regexp_matches(CAST(${v} AS VARCHAR), ${sqlString(e.regex)})`;
      mostly = e.mostly ?? 1;
      break;
    case 'expect_column_values_to_be_unique':
      from = `(SELECT rowid AS __row, *, count(*) OVER (PARTITION BY ${v}) AS __n FROM data)`;
      bad = `${v} IS NOT NULL AND __n > 1`;
      mostly = e.mostly ?? 1;
      break;
    case 'expect_compound_columns_to_be_unique': {
      const all = cols.map(sqlIdent).join(', ');
      from = `(SELECT rowid AS __row, *, count(*) OVER (PARTITION BY ${all}) AS __n FROM data)`;
      bad = '__n > 1';
      base = 'count(*)';
      break;
    }
    default:
      throw new Error(`unhandled expectation type ${(e as Expectation).type}`);
  }
  const rowId = from === 'data' ? 'rowid' : '__row';
  const [counts] = await duck.all<{ __total: string; __bad: string }>(`SELECT ${base} AS __total, count(*) FILTER (WHERE ${bad}) AS __bad FROM ${from}`);
  const total = Number(counts.__total);
  const unexpected = Number(counts.__bad);
  const share = total ? unexpected / total : 0;
  const out: Outcome = { success: share <= 1 - mostly + EPS, observed: { rows, unexpected }, elementCount: total, unexpectedCount: unexpected, unexpectedShare: share };
  if (e.type === 'expect_column_values_to_be_between') {
    const [r] = await duck.all<{ __lo: unknown; __hi: unknown }>(`SELECT CAST(min(${v}) AS VARCHAR) AS __lo, CAST(max(${v}) AS VARCHAR) AS __hi FROM data`);
    out.observed = { min: maybeNumber(r.__lo), max: maybeNumber(r.__hi) };
  }
  if (unexpected > 0) {
    const shown = cols.length > 1 ? `struct_pack(${cols.map((c) => `${sqlIdent(c)} := ${sqlIdent(c)}`).join(', ')})` : v;
    const sample = await duck.all<{ __r: string; __v: unknown }>(`SELECT ${rowId} + 1 AS __r, ${shown} AS __v FROM ${from} WHERE ${bad} ORDER BY ${rowId} LIMIT ${SAMPLE}`);
    out.sample = sample.map((s) => ({ row: Number(s.__r), value: s.__v }));
    const top = await duck.all<{ __v: unknown; __n: string }>(`SELECT CAST(${shown} AS VARCHAR) AS __v, count(*) AS __n FROM ${from} WHERE ${bad} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${SAMPLE}`);
    out.unexpectedValues = top.map((t): ValueCount => ({ value: t.__v as string | null, count: Number(t.__n) }));
  }
  return out;
}

function maybeNumber(v: unknown): unknown {
  return typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}
