/**
 * Compiles a parsed run-search filter to a SQL boolean over the runs row aliased `r`. Values are
 * always bound parameters; only whitelisted operators and column names are spliced in as raw SQL.
 */
import { sql } from 'kysely';
import type { RawBuilder, SqlBool } from 'kysely';
import type {
  Comparison,
  DatasetKey,
  FilterExpr,
  NumericAttribute,
  NumericOperator,
  StringAttribute,
  StringField,
} from './filter-ast.js';

export type SqlDialect = 'sqlite' | 'postgres';

const ATTRIBUTE_COLUMNS: Readonly<Record<StringAttribute | NumericAttribute, string>> = {
  run_id: 'r.run_uuid',
  run_name: 'r.name',
  status: 'r.status',
  user_id: 'r.user_id',
  artifact_uri: 'r.artifact_uri',
  lifecycle_stage: 'r.lifecycle_stage',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
};

const DATASET_COLUMNS: Readonly<Record<DatasetKey, string>> = {
  name: 'd.name',
  digest: 'd.digest',
  context: 'ri.context',
};

const NUMERIC_OPERATORS: ReadonlySet<NumericOperator> = new Set(['=', '!=', '>', '>=', '<', '<=']);

type Predicate = (column: RawBuilder<unknown>) => RawBuilder<SqlBool>;

/** The value test of a string comparison, applied to whichever column holds the value. */
function stringPredicate(comparison: Exclude<Comparison, { kind: 'numeric' }>, dialect: SqlDialect): Predicate {
  if (comparison.kind === 'list') {
    const list = sql.join(comparison.values);
    return comparison.op === 'IN'
      ? (col) => sql<SqlBool>`${col} IN (${list})`
      : (col) => sql<SqlBool>`${col} NOT IN (${list})`;
  }
  const value = comparison.value;
  switch (comparison.op) {
    case '=':
      return (col) => sql<SqlBool>`${col} = ${value}`;
    case '!=':
      return (col) => sql<SqlBool>`${col} != ${value}`;
    // Backslash is PostgreSQL's default LIKE escape; SQLite has none, so it is named on both
    // to make `\%` and `\_` mean the same everywhere. SQLite's LIKE is case-sensitive only
    // because the connection sets PRAGMA case_sensitive_like = ON.
    case 'LIKE':
      return (col) => sql<SqlBool>`${col} LIKE ${value} ESCAPE '\\'`;
    case 'ILIKE':
      return dialect === 'postgres'
        ? (col) => sql<SqlBool>`${col} ILIKE ${value} ESCAPE '\\'`
        : (col) => sql<SqlBool>`lower(${col}) LIKE lower(${value}) ESCAPE '\\'`;
  }
}

/**
 * Binds a number for comparison with a column. PostgreSQL infers a parameter's type from the
 * column, so 1.5 against a BIGINT timestamp would fail to parse; non-integers are sent as double.
 */
function numberParam(value: number, dialect: SqlDialect): RawBuilder<unknown> {
  if (dialect === 'postgres' && !Number.isSafeInteger(value)) return sql`CAST(${value} AS DOUBLE PRECISION)`;
  return sql`${value}`;
}

function compileString(comparison: Exclude<Comparison, { kind: 'numeric' }>, dialect: SqlDialect): RawBuilder<SqlBool> {
  const field: StringField = comparison.field;
  const test = stringPredicate(comparison, dialect);
  // Entity tables hold one row per (run, key); a run without the key has no row, so it never
  // matches, not even `!=` — MLflow's semantics.
  switch (field.type) {
    case 'param':
      return sql<SqlBool>`EXISTS (SELECT 1 FROM params p WHERE p.run_uuid = r.run_uuid AND p.key = ${field.key} AND ${test(sql.raw('p.value'))})`;
    case 'tag':
      return sql<SqlBool>`EXISTS (SELECT 1 FROM tags t WHERE t.run_uuid = r.run_uuid AND t.key = ${field.key} AND ${test(sql.raw('t.value'))})`;
    case 'attribute':
      return test(sql.raw(ATTRIBUTE_COLUMNS[field.key]));
    case 'dataset':
      return sql<SqlBool>`EXISTS (SELECT 1 FROM run_inputs ri JOIN datasets d ON d.dataset_uuid = ri.dataset_uuid WHERE ri.run_uuid = r.run_uuid AND ${test(sql.raw(DATASET_COLUMNS[field.key]))})`;
  }
}

function compileComparison(comparison: Comparison, dialect: SqlDialect): RawBuilder<SqlBool> {
  if (comparison.kind !== 'numeric') return compileString(comparison, dialect);
  // The AST type already restricts op, but it is spliced in raw, so check at runtime too.
  if (!NUMERIC_OPERATORS.has(comparison.op)) throw new Error(`unsupported operator ${comparison.op}`);
  const op = sql.raw(comparison.op);
  const value = numberParam(comparison.value, dialect);
  const { field } = comparison;
  if (field.type === 'attribute') {
    // A NULL column (e.g. end_time of a running run) compares to NULL, so it never matches.
    return sql<SqlBool>`${sql.raw(ATTRIBUTE_COLUMNS[field.key])} ${op} ${value}`;
  }
  // NaN is stored as is_nan = 1 with a placeholder value; it is not comparable, so never matches.
  return sql<SqlBool>`EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = ${field.key} AND m.is_nan = 0 AND m.value ${op} ${value})`;
}

/**
 * Compiles a filter to a boolean SQL expression for a query whose runs table is aliased `r`.
 * On SQLite the connection must have `PRAGMA case_sensitive_like = ON`, or LIKE ignores case.
 *
 * @example
 * const where = compileFilter(parseFilter("metrics.rmse < 1 AND params.model = 'xgb'")!, 'sqlite');
 * await sql`SELECT r.run_uuid FROM runs r WHERE ${where}`.execute(db);
 */
export function compileFilter(expr: FilterExpr, dialect: SqlDialect): RawBuilder<SqlBool> {
  if (expr.kind === 'numeric' || expr.kind === 'string' || expr.kind === 'list') {
    return compileComparison(expr, dialect);
  }
  const parts = expr.operands.map((operand) => compileFilter(operand, dialect));
  const joiner = expr.kind === 'and' ? sql` AND ` : sql` OR `;
  return sql<SqlBool>`(${sql.join(parts, joiner)})`;
}
