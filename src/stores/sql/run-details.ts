/**
 * Runs with their params, tags and latest metrics in one statement, one row per run, each list
 * aggregated to JSON text in the database. A search page of 1,000 runs would otherwise bring back
 * ~23,000 rows, and creating a JavaScript object per row cost more than the reads themselves
 * (docs/decisions.md, "Search").
 */
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database, RunsTable } from '../schema.js';
import type { Dialect } from './sql-text.js';

export interface RunDetailsRow extends RunsTable {
  /** JSON `[[key, value], …]`; null or `[]` when the run has none. */
  params: string | null;
  tags: string | null;
  /** JSON `[[key, value, timestamp, step, is_nan], …]`; a value may be ±Infinity or, from PostgreSQL, the string "Infinity". */
  metrics: string | null;
}

/** Kysely does not name the database it talks to; its parameter placeholders do (`$1` or `?`). */
export function dialectOf(db: Kysely<Database>): Dialect {
  return sql`${0}`.compile(db).sql.startsWith('$') ? 'postgres' : 'sqlite';
}

/**
 * The run's rows of `table` as a JSON list of arrays, as text. Unordered: an ORDER BY inside the
 * aggregate costs a sort per run and list (3 ms a page on SQLite); parseEntries orders them.
 */
function entriesOf(dialect: Dialect, table: 'params' | 'tags' | 'latest_metrics', columns: string[]): RawBuilder<unknown> {
  const t = sql.raw(table);
  const cols = sql.raw(columns.map((c) => `e.${c}`).join(', '));
  // json_agg gives NULL for no rows where json_group_array gives []; the reader accepts both.
  return dialect === 'postgres'
    ? sql`(SELECT json_agg(json_build_array(${cols}))::text FROM ${t} e WHERE e.run_uuid = r.run_uuid)`
    : sql`(SELECT json_group_array(json_array(${cols})) FROM ${t} e WHERE e.run_uuid = r.run_uuid)`;
}

export async function selectRunDetails(db: Kysely<Database>, dialect: Dialect, runIds: string[]): Promise<RunDetailsRow[]> {
  const query = sql<RunDetailsRow>`
    SELECT r.*,
      ${entriesOf(dialect, 'params', ['key', 'value'])} AS params,
      ${entriesOf(dialect, 'tags', ['key', 'value'])} AS tags,
      ${entriesOf(dialect, 'latest_metrics', ['key', 'value', 'timestamp', 'step', 'is_nan'])} AS metrics
    FROM runs r WHERE r.run_uuid IN (${sql.join(runIds)})`;
  return (await query.execute(db)).rows;
}

/**
 * Code point order: SQLite's BINARY collation (UTF-8 byte order), kept on PostgreSQL too so that
 * both backends list a run's keys alike. UTF-16 order differs only where a surrogate (a code point
 * above U+FFFF) meets a unit from U+E000 to U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    return xs === ys ? x - y : xs ? 1 : -1;
  }
  return a.length - b.length;
}

/** A JSON list from selectRunDetails, ordered by key (its first element); keys are unique per run. */
export function parseEntries<T extends [string, ...unknown[]]>(json: string | null): T[] {
  if (json === null) return [];
  const entries = JSON.parse(json) as T[];
  // The database almost always hands them over in index order already: check before sorting.
  for (let i = 1; i < entries.length; i++) {
    if (compareKeys(entries[i - 1][0], entries[i][0]) > 0) return entries.sort((a, b) => compareKeys(a[0], b[0]));
  }
  return entries;
}
