/**
 * runs/search ordered first by a metric, without sorting the whole experiment.
 *
 * The runs holding a (non-NaN) value for the metric come first in either direction, in value
 * order. This walks the latest_metrics (key, is_nan, value, run_uuid) index in the order's
 * direction, joins each entry to its run, tests scope and filter, and stops once the page is full:
 * ~1,000 runs out of 25,000 cost a few milliseconds instead of a full sort (docs/decisions.md).
 * Runs whose value is NaN or missing (ranks 1 and 2) come from the generic selection, and only
 * when the walk ran out before the page was full or the cursor is already past them.
 *
 * The walk is worth it only while matches are dense along the index: the key may belong mostly to
 * other experiments, or the filter may keep few runs. So the walk gets a budget of index entries,
 * a share of the runs in scope; the range it covers ends at the value of the budget's last entry.
 * A page not filled within the budget is answered by the generic selection instead, which bounds
 * the cost of an unlucky walk to a fraction of the generic query's.
 */
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../schema.js';
import { afterCursor, orderAlias, orderByItems, sortColumns } from './search-order.js';
import type { SortColumn } from './search-order.js';
import { selectInOrder } from './search-selection.js';
import type { Selection, SortRow } from './search-selection.js';

type Db = Kysely<Database>;

/**
 * Index entries the walk may visit, as a share of the runs in scope: 1 / WALK_SHARE. With a third,
 * a walk that fails adds 20–50 % to the generic query, and a page of 1,000 fills by walking
 * whenever the filter keeps more than ~12 % of 25,000 runs; with a half, the failures cost up to
 * 75 % more (docs/decisions.md).
 */
const WALK_SHARE = 3;

/** Index bounds of the walk, in the order's direction: from the cursor's value to `stop`. */
interface WalkRange {
  from: number | null;
  stop: number | null;
}

export async function selectByMetric(db: Db, s: Selection): Promise<SortRow[]> {
  const first = s.order.terms[0].key;
  // Past the runs with a value: the generic selection starts from the cursor.
  if (s.cursor && s.cursor[0] !== 0) return selectInOrder(db, s);
  const budget = Math.floor((await countRunsInScope(db, s.experimentIds)) / WALK_SHARE);
  if (budget < s.limit) return selectInOrder(db, s);

  const from = s.cursor ? Number(s.cursor[1]) : null;
  const range: WalkRange = { from, stop: await budgetStop(db, first.key, first.ascending, from, budget) };
  const walked = await walk(db, s, range);
  if (walked.length >= s.limit) return walked;
  if (range.stop !== null) return selectInOrder(db, s); // budget spent, page not full
  const rest = await selectInOrder(db, { ...s, cursor: null, limit: s.limit - walked.length }, { firstRankFrom: 1 });
  return [...walked, ...rest];
}

async function countRunsInScope(db: Db, experimentIds: number[]): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM runs WHERE experiment_id IN (${sql.join(experimentIds)})`.execute(db);
  return Number(rows[0].n);
}

/**
 * The value of the `budget`-th index entry from `from` on, or null when fewer entries remain. It
 * counts entries of every experiment: that is what the walk will visit.
 */
async function budgetStop(db: Db, key: string, ascending: boolean, from: number | null, budget: number): Promise<number | null> {
  const dir = sql.raw(ascending ? 'ASC' : 'DESC');
  const start = from === null ? sql`` : ascending ? sql`AND value >= ${from}` : sql`AND value <= ${from}`;
  const { rows } = await sql<{ value: number }>`
    SELECT value FROM latest_metrics WHERE key = ${key} AND is_nan = 0 ${start}
    ORDER BY value ${dir}, run_uuid ${dir} LIMIT 1 OFFSET ${sql.raw(String(budget - 1))}`.execute(db);
  return rows.length ? Number(rows[0].value) : null;
}

/**
 * The first `limit` runs with a value after the cursor, driven by the index. The range bounds
 * repeat what the cursor and the budget imply, so that the database reads only that index range;
 * the range ends on a value, never inside a run of equal values, because later order keys may
 * reorder those.
 */
async function walk(db: Db, s: Selection, range: WalkRange): Promise<SortRow[]> {
  const [first, ...rest] = s.order.terms;
  const { ascending } = first.value;
  const m = sql.raw(orderAlias(0));
  const value: SortColumn = { expr: sql`${m}.value`, ascending };
  // The tie-break follows the first key's direction (search-order.ts), so the index order is the sort order.
  const columns = [value, ...sortColumns(rest), { expr: sql`${m}.run_uuid`, ascending }];

  const where: RawBuilder<unknown>[] = [sql`${m}.key = ${first.key.key}`, sql`${m}.is_nan = 0`, sql`r.run_uuid = ${m}.run_uuid`];
  const lower = (bound: number) => (ascending ? sql`${m}.value >= ${bound}` : sql`${m}.value <= ${bound}`);
  const upper = (bound: number) => (ascending ? sql`${m}.value <= ${bound}` : sql`${m}.value >= ${bound}`);
  if (range.from !== null) where.push(lower(range.from));
  if (range.stop !== null) where.push(upper(range.stop));
  where.push(...s.conditions);
  // The cursor's rank is 0 here; the rest of its tuple is compared with the rest of the columns.
  if (s.cursor) where.push(afterCursor(columns, s.cursor.slice(1)));

  const selected = [sql`${m}.run_uuid AS run_uuid`, sql`0 AS k0`, sql`${m}.value AS k1`, ...sortColumns(rest).map((c, i) => sql`${c.expr} AS ${sql.raw(`k${i + 2}`)}`)];
  const joins = rest.flatMap((t) => (t.join ? [t.join] : []));
  // CROSS JOIN makes SQLite keep latest_metrics as the outer loop; PostgreSQL plans it as any join.
  const query = sql<SortRow>`
    SELECT ${sql.join(selected)} FROM latest_metrics ${m} CROSS JOIN runs r ${sql.join(joins, sql` `)}
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY ${orderByItems(columns)} LIMIT ${sql.raw(String(s.limit))}`;
  return (await query.execute(db)).rows;
}
