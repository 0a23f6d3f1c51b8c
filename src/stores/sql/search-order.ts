/**
 * The sort order of runs/search as SQL, shared by the generic selection and the metric walk.
 *
 * Each order key becomes two sort columns: a rank (0 value, 1 NaN, 2 missing) that always sorts
 * ascending, so runs lacking the key come last in either direction as in MLflow, and a value that
 * is never NULL. Ties are broken by run id in the direction of the first key: an index on
 * (key, is_nan, value, run_uuid) read backwards then yields a descending order together with its
 * tie-break, which is what lets search-by-metric.ts stop after one page. With no NULLs in the sort
 * tuple, "the rows after this cursor" is a plain lexicographic comparison, and pages stay stable
 * while runs are added.
 */
import { sql } from 'kysely';
import type { RawBuilder, SqlBool } from 'kysely';
import type { OrderKey } from '../../tracking/search/filter-ast.js';

export type SortValue = string | number;

export interface SortColumn {
  expr: RawBuilder<unknown>;
  ascending: boolean;
}

/** One order key: the LEFT JOIN it needs (attributes need none) and its rank and value columns. */
export interface OrderTerm {
  key: OrderKey;
  join: RawBuilder<unknown> | null;
  rank: SortColumn;
  value: SortColumn;
}

export interface SearchOrder {
  terms: OrderTerm[];
  /** Run id, in the direction of the first key. */
  tieBreak: SortColumn;
}

const ATTRIBUTE_COLUMNS: Record<string, { column: string; numeric: boolean }> = {
  run_id: { column: 'run_uuid', numeric: false },
  run_name: { column: 'name', numeric: false },
  status: { column: 'status', numeric: false },
  user_id: { column: 'user_id', numeric: false },
  artifact_uri: { column: 'artifact_uri', numeric: false },
  lifecycle_stage: { column: 'lifecycle_stage', numeric: false },
  start_time: { column: 'start_time', numeric: true },
  end_time: { column: 'end_time', numeric: true },
};

/** The alias of the table joined for order key `i`; the metric walk drives from `o0` itself. */
export const orderAlias = (i: number): string => `o${i}`;

function orderTerm(k: OrderKey, i: number): OrderTerm {
  const o = sql.raw(orderAlias(i));
  if (k.type === 'metric') {
    return {
      key: k,
      // is_nan is always 0 or 1. Naming both gives SQLite's planner (no statistics) a third
      // equality column on the covering latest_metrics_run, which it then reads instead of the
      // unique (run_uuid, key) index plus the table: 78 → 53 ms over 25,000 runs.
      join: sql`LEFT JOIN latest_metrics ${o} ON ${o}.run_uuid = r.run_uuid AND ${o}.key = ${k.key} AND ${o}.is_nan IN (0, 1)`,
      rank: { expr: sql`CASE WHEN ${o}.run_uuid IS NULL THEN 2 WHEN ${o}.is_nan = 1 THEN 1 ELSE 0 END`, ascending: true },
      value: { expr: sql`CASE WHEN ${o}.run_uuid IS NULL OR ${o}.is_nan = 1 THEN 0 ELSE ${o}.value END`, ascending: k.ascending },
    };
  }
  if (k.type === 'param' || k.type === 'tag') {
    const table = sql.raw(k.type === 'param' ? 'params' : 'tags');
    return {
      key: k,
      join: sql`LEFT JOIN ${table} ${o} ON ${o}.run_uuid = r.run_uuid AND ${o}.key = ${k.key}`,
      rank: { expr: sql`CASE WHEN ${o}.run_uuid IS NULL THEN 1 ELSE 0 END`, ascending: true },
      value: { expr: sql`COALESCE(${o}.value, '')`, ascending: k.ascending },
    };
  }
  const attr = ATTRIBUTE_COLUMNS[k.key];
  const col = sql.raw(`r.${attr.column}`);
  return {
    key: k,
    join: null,
    rank: { expr: sql`CASE WHEN ${col} IS NULL THEN 1 ELSE 0 END`, ascending: true },
    value: { expr: attr.numeric ? sql`COALESCE(${col}, 0)` : sql`COALESCE(${col}, '')`, ascending: k.ascending },
  };
}

export function searchOrder(keys: OrderKey[]): SearchOrder {
  return { terms: keys.map(orderTerm), tieBreak: { expr: sql`r.run_uuid`, ascending: keys[0]?.ascending ?? true } };
}

/** Every sort column in order (rank and value of each key), without the tie-break. */
export function sortColumns(terms: OrderTerm[]): SortColumn[] {
  return terms.flatMap((t) => [t.rank, t.value]);
}

/** Rows strictly after `cursor` in the order of `columns` (the tie-break included, last). */
export function afterCursor(columns: SortColumn[], cursor: SortValue[]): RawBuilder<SqlBool> {
  const alternatives = columns.map((column, i) => {
    const equalBefore = columns.slice(0, i).map((prev, j) => sql`${prev.expr} = ${cursor[j]}`);
    const beyond = column.ascending ? sql`${column.expr} > ${cursor[i]}` : sql`${column.expr} < ${cursor[i]}`;
    return sql`(${sql.join([...equalBefore, beyond], sql` AND `)})`;
  });
  return sql<SqlBool>`(${sql.join(alternatives, sql` OR `)})`;
}

/** `ORDER BY` items for `columns`. */
export function orderByItems(columns: SortColumn[]): RawBuilder<unknown> {
  return sql.join(columns.map((c) => sql`${c.expr} ${sql.raw(c.ascending ? 'ASC' : 'DESC')}`));
}
