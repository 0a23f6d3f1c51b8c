/**
 * Reads one metric's history in (step, timestamp) order: a range scan of the clustered
 * metric_points key. Pages are keyset cursors over that key, so they stay stable while the run
 * keeps logging.
 *
 * `getMetricHistoryJson` lets the database write the JSON text itself: a 100,000-point history
 * would otherwise become 100,000 JS objects and be stringified again, ~3x slower (docs/decisions.md).
 */
import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { Metric, MetricHistoryInput, Page } from '../../tracking/entities.js';
import type { MetricHistoryJson } from '../../tracking/tracking-store.js';
import { getRunRow } from './run-queries.js';
import { toMetric } from './row-mappers.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { downsampleMetric } from '../../tracking/downsample.js';
import type { Dialect } from './sql-text.js';

type Db = Kysely<Database>;
type PointRow = { step: number; timestamp: number; is_nan: number; value: number };
const ORDER = 'ORDER BY step, timestamp, is_nan, value';

interface PointRange {
  where: string;
  params: unknown[];
  /** Placeholder factory continuing after the range's own parameters. */
  next: () => string;
}

async function pointRange(db: Db, dialect: Dialect, runId: string, key: string, pageToken?: string): Promise<PointRange | null> {
  await getRunRow(db, runId);
  const series = await db.selectFrom('latest_metrics').select('series_id').where('run_uuid', '=', runId).where('key', '=', key).executeTakeFirst();
  if (!series) return null;
  let n = 0;
  const next = () => (dialect === 'postgres' ? `$${++n}` : (++n, '?'));
  const params: unknown[] = [series.series_id];
  let where = `series_id = ${next()}`;
  if (pageToken) {
    params.push(...decodeCursor(pageToken, `history:${runId}:${key}`));
    where += ` AND (step, timestamp, is_nan, value) > (${next()}, ${next()}, ${next()}, ${next()})`;
  }
  return { where, params, next };
}

/** The cursor after the first `limit` points of the range, or null when nothing follows them. */
async function nextToken(db: Db, range: PointRange, runId: string, key: string, limit: number | undefined): Promise<string | null> {
  if (limit === undefined) return null;
  const text = `SELECT step, timestamp, is_nan, value FROM metric_points WHERE ${range.where} ${ORDER} LIMIT 2 OFFSET ${limit - 1}`;
  const { rows } = await db.executeQuery<PointRow>(CompiledQuery.raw(text, range.params));
  if (rows.length < 2) return null;
  const last = rows[0];
  return encodeCursor(`history:${runId}:${key}`, [last.step, last.timestamp, last.is_nan, last.value]);
}

export async function getMetricHistory(db: Db, dialect: Dialect, runId: string, key: string, input: MetricHistoryInput = {}): Promise<Page<Metric>> {
  const range = await pointRange(db, dialect, runId, key, input.pageToken);
  if (!range) return { items: [], nextPageToken: null };
  const limit = input.maxResults;
  const text = `SELECT step, timestamp, is_nan, value FROM metric_points WHERE ${range.where} ${ORDER}` + (limit !== undefined ? ` LIMIT ${limit}` : '');
  const { rows } = await db.executeQuery<PointRow>(CompiledQuery.raw(text, range.params));
  const points = rows.map((r) => toMetric(key, r));
  return {
    items: input.maxPoints ? downsampleMetric(points, input.maxPoints) : points,
    nextPageToken: limit !== undefined && rows.length === limit ? await nextToken(db, range, runId, key, limit) : null,
  };
}

// The database writes the wire JSON. Both print doubles with round-trip precision; NaN and
// ±Infinity become the strings protobuf JSON uses. SQLite's json_group_array reads the ordered
// subquery as it streams from the clustered key (an ORDER BY inside the aggregate would sort 10^5
// rows again, +30 ms); the contract suite checks the order.
function historyJsonSql(dialect: Dialect, prefix: string, range: string): string {
  if (dialect === 'sqlite') {
    const value = `CASE WHEN is_nan = 1 THEN 'NaN' WHEN value = 9e999 THEN 'Infinity' WHEN value = -9e999 THEN '-Infinity' ELSE value END`;
    return `SELECT count(*) AS n, CAST(json_group_array(json_object('key', ${prefix}, 'value', ${value}, 'timestamp', timestamp, 'step', step)) AS BLOB) AS json FROM (${range}) p`;
  }
  const value = `CASE WHEN is_nan = 1 THEN '"NaN"' WHEN value = 'Infinity'::float8 THEN '"Infinity"' WHEN value = '-Infinity'::float8 THEN '"-Infinity"' ELSE value::text END`;
  const point = `'{"key":' || to_json(${prefix}::text)::text || ',"value":' || ${value} || ',"timestamp":' || timestamp || ',"step":' || step || '}'`;
  return `SELECT count(*) AS n, convert_to('[' || coalesce(string_agg(${point}, ',' ${ORDER}), '') || ']', 'UTF8') AS json FROM (${range}) p`;
}

export async function getMetricHistoryJson(db: Db, dialect: Dialect, runId: string, key: string, input: Omit<MetricHistoryInput, 'maxPoints'> = {}): Promise<MetricHistoryJson> {
  const range = await pointRange(db, dialect, runId, key, input.pageToken);
  if (!range) return { json: Buffer.from('[]'), count: 0, nextPageToken: null };
  // The key is bound in the SELECT list, before the range's WHERE: '?' placeholders bind in text
  // order, numbered ones by number.
  const keyParam = range.next();
  const params = dialect === 'postgres' ? [...range.params, key] : [key, ...range.params];
  const limit = input.maxResults !== undefined ? ` LIMIT ${input.maxResults}` : '';
  const text = historyJsonSql(dialect, keyParam, `SELECT step, timestamp, is_nan, value FROM metric_points WHERE ${range.where} ${ORDER}${limit}`);
  const { rows } = await db.executeQuery<{ n: number; json: Buffer }>(CompiledQuery.raw(text, params));
  const count = Number(rows[0].n);
  // A short page is the last one: only a full page needs the look-ahead query.
  const full = input.maxResults !== undefined && count === input.maxResults;
  return { json: rows[0].json, count, nextPageToken: full ? await nextToken(db, range, runId, key, input.maxResults) : null };
}
