/**
 * The generic runs/search selection: every run in scope gets its sort tuple, and the database sorts
 * them all. Correct for every order; search-by-metric.ts avoids the full sort when the first key
 * is a metric and falls back to this otherwise.
 */
import { sql } from 'kysely';
import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { Database } from '../schema.js';
import { afterCursor, orderByItems, sortColumns } from './search-order.js';
import type { SearchOrder, SortColumn, SortValue } from './search-order.js';

/** A selected run: `run_uuid` and its sort columns `k0`, `k1`, … (rank and value of each key). */
export type SortRow = Record<string, SortValue>;

export interface Selection {
  experimentIds: number[];
  /** Conditions on the runs row `r`: experiments, view type and filter. */
  conditions: RawBuilder<SqlBool>[];
  order: SearchOrder;
  /** The sort tuple of the last run already returned (tie-break last), or null on the first page. */
  cursor: SortValue[] | null;
  /** Rows wanted: the page size plus one, which tells whether another page follows. */
  limit: number;
}

/** The sort tuple of a selected row, as a cursor. */
export function cursorOf(order: SearchOrder, row: SortRow): SortValue[] {
  return [...sortColumns(order.terms).map((_, i) => row[`k${i}`]), row.run_uuid];
}

/**
 * The first `limit` runs after the cursor. `firstRankFrom: 1` keeps only runs whose first key is
 * NaN or missing: the metric walk has already returned the ones with a value.
 */
export async function selectInOrder(db: Kysely<Database>, s: Selection, options: { firstRankFrom?: number } = {}): Promise<SortRow[]> {
  const columns = sortColumns(s.order.terms);
  const selected = columns.map((c, i) => sql`${c.expr} AS ${sql.raw(`k${i}`)}`);
  const joins = s.order.terms.flatMap((t) => (t.join ? [t.join] : []));
  const inner = sql`SELECT r.run_uuid AS run_uuid, ${sql.join(selected)} FROM runs r ${sql.join(joins, sql` `)} WHERE ${sql.join(s.conditions, sql` AND `)}`;

  // The outer query compares and sorts the aliases, so each CASE is written once.
  const outer: SortColumn[] = [
    ...columns.map((c, i) => ({ expr: sql.raw(`t.k${i}`), ascending: c.ascending })),
    { expr: sql.raw('t.run_uuid'), ascending: s.order.tieBreak.ascending },
  ];
  const where: RawBuilder<unknown>[] = [];
  if (s.cursor) where.push(afterCursor(outer, s.cursor));
  if (options.firstRankFrom !== undefined) where.push(sql`t.k0 >= ${options.firstRankFrom}`);
  const whereClause = where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
  const query = sql<SortRow>`SELECT * FROM (${inner}) t ${whereClause} ORDER BY ${orderByItems(outer)} LIMIT ${sql.raw(String(s.limit))}`;
  return (await query.execute(db)).rows;
}
