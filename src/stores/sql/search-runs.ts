/**
 * runs/search: MLflow's filter language (extended with OR, parentheses and IN everywhere) compiled
 * to SQL, ordered by any number of keys, paged by keyset cursors.
 *
 * Each order key becomes two sort columns: a rank (0 value, 1 NaN, 2 missing) that always sorts
 * ascending, so runs lacking the key come last in either direction as in MLflow, and a value that
 * is never NULL. With no NULLs in the sort tuple, "the rows after this cursor" is a plain
 * lexicographic comparison, and pages stay stable while runs are added.
 */
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../schema.js';
import type { Page, Run, SearchRunsInput } from '../../tracking/entities.js';
import type { OrderKey } from '../../tracking/search/filter-ast.js';
import { parseFilter, parseOrderBy } from '../../tracking/search/filter-parser.js';
import { compileFilter } from '../../tracking/search/filter-sql.js';
import { loadRuns } from './run-queries.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Dialect } from './sql-text.js';

type Db = Kysely<Database>;
type SortColumn = { expr: RawBuilder<unknown>; ascending: boolean };

const DEFAULT_ORDER: OrderKey[] = [{ type: 'attribute', key: 'start_time', ascending: false }];
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

function orderColumns(keys: OrderKey[]): { joins: RawBuilder<unknown>[]; columns: SortColumn[] } {
  const joins: RawBuilder<unknown>[] = [];
  const columns: SortColumn[] = [];
  keys.forEach((k, i) => {
    const o = sql.raw(`o${i}`);
    if (k.type === 'metric') {
      joins.push(sql`LEFT JOIN latest_metrics ${o} ON ${o}.run_uuid = r.run_uuid AND ${o}.key = ${k.key}`);
      columns.push({ expr: sql`CASE WHEN ${o}.run_uuid IS NULL THEN 2 WHEN ${o}.is_nan = 1 THEN 1 ELSE 0 END`, ascending: true });
      columns.push({ expr: sql`CASE WHEN ${o}.run_uuid IS NULL OR ${o}.is_nan = 1 THEN 0 ELSE ${o}.value END`, ascending: k.ascending });
    } else if (k.type === 'param' || k.type === 'tag') {
      const table = sql.raw(k.type === 'param' ? 'params' : 'tags');
      joins.push(sql`LEFT JOIN ${table} ${o} ON ${o}.run_uuid = r.run_uuid AND ${o}.key = ${k.key}`);
      columns.push({ expr: sql`CASE WHEN ${o}.run_uuid IS NULL THEN 1 ELSE 0 END`, ascending: true });
      columns.push({ expr: sql`COALESCE(${o}.value, '')`, ascending: k.ascending });
    } else {
      const attr = ATTRIBUTE_COLUMNS[k.key];
      const col = sql.raw(`r.${attr.column}`);
      columns.push({ expr: sql`CASE WHEN ${col} IS NULL THEN 1 ELSE 0 END`, ascending: true });
      columns.push({ expr: attr.numeric ? sql`COALESCE(${col}, 0)` : sql`COALESCE(${col}, '')`, ascending: k.ascending });
    }
  });
  return { joins, columns };
}

/** Rows strictly after `last` in the order of `columns` (then run_uuid ascending). */
function afterCursor(columns: SortColumn[], last: (string | number)[]): RawBuilder<unknown> {
  const names = columns.map((_, i) => sql.raw(`t.k${i}`));
  const all = [...names, sql.raw('t.run_uuid')];
  const dirs = [...columns.map((c) => c.ascending), true];
  const alternatives = all.map((name, i) => {
    const equalBefore = all.slice(0, i).map((prev, j) => sql`${prev} = ${last[j]}`);
    const beyond = dirs[i] ? sql`${name} > ${last[i]}` : sql`${name} < ${last[i]}`;
    return sql.join([...equalBefore, beyond], sql` AND `);
  });
  return sql`(${sql.join(alternatives.map((a) => sql`(${a})`), sql` OR `)})`;
}

export async function searchRuns(db: Db, dialect: Dialect, input: SearchRunsInput & { maxResults: number }): Promise<Page<Run>> {
  const experimentIds = input.experimentIds.map(Number);
  if (experimentIds.length === 0) return { items: [], nextPageToken: null };
  const filter = parseFilter(input.filter);
  const orderKeys = [...parseOrderBy(input.orderBy), ...(input.orderBy?.length ? [] : DEFAULT_ORDER)];
  const { joins, columns } = orderColumns(orderKeys);
  const view = input.runViewType ?? 'ACTIVE_ONLY';
  const scope = JSON.stringify(['runs', [...experimentIds].sort(), input.filter ?? '', input.orderBy ?? [], view]);

  const conditions: RawBuilder<unknown>[] = [sql`r.experiment_id IN (${sql.join(experimentIds)})`];
  if (view === 'ACTIVE_ONLY') conditions.push(sql`r.lifecycle_stage = 'active'`);
  if (view === 'DELETED_ONLY') conditions.push(sql`r.lifecycle_stage = 'deleted'`);
  if (filter) conditions.push(compileFilter(filter, dialect));

  const selected = columns.map((c, i) => sql`${c.expr} AS ${sql.raw(`k${i}`)}`);
  const inner = sql`SELECT r.run_uuid AS run_uuid, ${sql.join(selected)} FROM runs r ${sql.join(joins, sql` `)} WHERE ${sql.join(conditions, sql` AND `)}`;
  const outerWhere = input.pageToken ? sql`WHERE ${afterCursor(columns, decodeCursor(input.pageToken, scope))}` : sql``;
  const orderBy = sql.join([
    ...columns.map((c, i) => sql`${sql.raw(`t.k${i}`)} ${sql.raw(c.ascending ? 'ASC' : 'DESC')}`),
    sql`t.run_uuid ASC`,
  ]);
  const query = sql<Record<string, string | number>>`SELECT * FROM (${inner}) t ${outerWhere} ORDER BY ${orderBy} LIMIT ${sql.raw(String(input.maxResults + 1))}`;
  const { rows } = await query.execute(db);

  let nextPageToken: string | null = null;
  if (rows.length > input.maxResults) {
    rows.length = input.maxResults;
    const last = rows[rows.length - 1];
    nextPageToken = encodeCursor(scope, [...columns.map((_, i) => last[`k${i}`]), last.run_uuid]);
  }
  return { items: await loadRuns(db, rows.map((r) => String(r.run_uuid))), nextPageToken };
}
