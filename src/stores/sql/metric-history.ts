/**
 * Reads one metric's history in (step, timestamp) order: a range scan of the clustered
 * metric_points key. Pages are keyset cursors over that key, so they stay stable while the run
 * keeps logging.
 */
import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { Metric, MetricHistoryInput, Page } from '../../tracking/entities.js';
import { getRunRow } from './run-queries.js';
import { toMetric } from './row-mappers.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { downsampleMetric } from '../../tracking/downsample.js';
import type { Dialect } from './sql-text.js';

type Db = Kysely<Database>;
type PointRow = { step: number; timestamp: number; is_nan: number; value: number };

export async function getMetricHistory(db: Db, dialect: Dialect, runId: string, key: string, input: MetricHistoryInput = {}): Promise<Page<Metric>> {
  await getRunRow(db, runId);
  const series = await db.selectFrom('latest_metrics').select('series_id').where('run_uuid', '=', runId).where('key', '=', key).executeTakeFirst();
  if (!series) return { items: [], nextPageToken: null };
  const p = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
  const params: unknown[] = [series.series_id];
  let where = `series_id = ${p(1)}`;
  if (input.pageToken) {
    const after = decodeCursor(input.pageToken, `history:${runId}:${key}`);
    where += ` AND (step, timestamp, is_nan, value) > (${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`;
    params.push(...after);
  }
  const limit = input.maxResults;
  const text =
    `SELECT step, timestamp, is_nan, value FROM metric_points WHERE ${where} ORDER BY step, timestamp, is_nan, value` +
    (limit !== undefined ? ` LIMIT ${limit + 1}` : '');
  const { rows } = await db.executeQuery<PointRow>(CompiledQuery.raw(text, params));
  let nextPageToken: string | null = null;
  if (limit !== undefined && rows.length > limit) {
    rows.length = limit;
    const last = rows[limit - 1];
    nextPageToken = encodeCursor(`history:${runId}:${key}`, [last.step, last.timestamp, last.is_nan, last.value]);
  }
  const points = rows.map((r) => toMetric(key, r));
  return { items: input.maxPoints ? downsampleMetric(points, input.maxPoints) : points, nextPageToken };
}
