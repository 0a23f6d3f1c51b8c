/**
 * runs/search: MLflow's filter language (extended with OR, parentheses and IN everywhere) compiled
 * to SQL, ordered by any number of keys (search-order.ts), paged by keyset cursors.
 *
 * An order whose first key is a metric walks that metric's index and stops after one page
 * (search-by-metric.ts); every other order sorts the runs in scope (search-selection.ts). Both
 * produce the same order and the same cursors, so either may answer any page of a query.
 */
import { sql } from 'kysely';
import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { Database } from '../schema.js';
import type { Page, Run, SearchRunsInput } from '../../tracking/entities.js';
import type { OrderKey } from '../../tracking/search/filter-ast.js';
import { parseFilter, parseOrderBy } from '../../tracking/search/filter-parser.js';
import { compileFilter } from '../../tracking/search/filter-sql.js';
import { invalidArgument } from '../../core/errors.js';
import { loadRuns } from './run-queries.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { searchOrder } from './search-order.js';
import { selectByMetric } from './search-by-metric.js';
import { cursorOf, selectInOrder } from './search-selection.js';
import type { Selection } from './search-selection.js';
import type { Dialect } from './sql-text.js';

const DEFAULT_ORDER: OrderKey[] = [{ type: 'attribute', key: 'start_time', ascending: false }];

export async function searchRuns(db: Kysely<Database>, dialect: Dialect, input: SearchRunsInput & { maxResults: number }): Promise<Page<Run>> {
  const experimentIds = input.experimentIds.map(Number);
  if (experimentIds.length === 0) return { items: [], nextPageToken: null };
  const filter = parseFilter(input.filter);
  const orderKeys = [...parseOrderBy(input.orderBy), ...(input.orderBy?.length ? [] : DEFAULT_ORDER)];
  const order = searchOrder(orderKeys);
  const view = input.runViewType ?? 'ACTIVE_ONLY';
  const scope = JSON.stringify(['runs', [...experimentIds].sort(), input.filter ?? '', input.orderBy ?? [], view]);

  const conditions: RawBuilder<SqlBool>[] = [sql<SqlBool>`r.experiment_id IN (${sql.join(experimentIds)})`];
  if (view === 'ACTIVE_ONLY') conditions.push(sql<SqlBool>`r.lifecycle_stage = 'active'`);
  if (view === 'DELETED_ONLY') conditions.push(sql<SqlBool>`r.lifecycle_stage = 'deleted'`);
  if (filter) conditions.push(compileFilter(filter, dialect));

  const cursor = input.pageToken ? decodeCursor(input.pageToken, scope) : null;
  // Two sort columns per key plus the run id; only a forged token could have another length.
  if (cursor && cursor.length !== 2 * orderKeys.length + 1) throw invalidArgument('page_token is malformed. Pass the next_page_token of the previous response unchanged.');
  const selection: Selection = { experimentIds, conditions, order, cursor, limit: input.maxResults + 1 };
  const rows = orderKeys[0].type === 'metric' ? await selectByMetric(db, selection) : await selectInOrder(db, selection);

  let nextPageToken: string | null = null;
  if (rows.length > input.maxResults) {
    rows.length = input.maxResults;
    nextPageToken = encodeCursor(scope, cursorOf(order, rows[rows.length - 1]));
  }
  return { items: await loadRuns(db, rows.map((r) => String(r.run_uuid)), dialect), nextPageToken };
}
