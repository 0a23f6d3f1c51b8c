/**
 * The hot write path: params, tags and metrics of one batch in one transaction. Metric points go
 * to metric_points keyed by an integer series id (see docs/decisions.md for the measured layouts);
 * latest_metrics keeps each series' latest point so searches never scan histories.
 */
import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { LogBatch, Metric, Param } from '../../tracking/entities.js';
import { GyreError } from '../../core/errors.js';
import { requireActiveRun, upsertTags } from './run-queries.js';
import { storedValue } from './row-mappers.js';
import { cachedSql, placeholders, valuesList } from './sql-text.js';
import type { Dialect } from './sql-text.js';

type Db = Kysely<Database>;
const POINTS_PER_STATEMENT = 500;

export async function logBatch(db: Db, dialect: Dialect, runId: string, batch: LogBatch): Promise<void> {
  await db.transaction().execute((trx) => writeBatch(trx, dialect, runId, batch));
}

/** A batch's writes inside the caller's transaction. */
export async function writeBatch(trx: Db, dialect: Dialect, runId: string, batch: LogBatch): Promise<void> {
  await requireActiveRun(trx, runId);
  if (batch.params?.length) await insertParams(trx, dialect, runId, batch.params);
  if (batch.tags?.length) await upsertTags(trx, runId, batch.tags);
  if (batch.metrics?.length) await insertMetrics(trx, dialect, runId, batch.metrics);
}

/** Params are write-once: logging the same value again is fine, a different value is refused. */
async function insertParams(db: Db, dialect: Dialect, runId: string, params: Param[]): Promise<void> {
  const wanted = new Map<string, string>();
  for (const p of params) {
    const prior = wanted.get(p.key);
    if (prior !== undefined && prior !== p.value) {
      throw new GyreError('CONFLICT', `Param '${p.key}' appears twice in the batch with different values ('${prior}' and '${p.value}').`, {
        runId,
        key: p.key,
      });
    }
    wanted.set(p.key, p.value);
  }
  const existing = await db.selectFrom('params').select(['key', 'value']).where('run_uuid', '=', runId).where('key', 'in', [...wanted.keys()]).execute();
  const changed = existing.filter((e) => wanted.get(e.key) !== e.value);
  if (changed.length) {
    const list = changed.map((e) => `'${e.key}' (logged '${e.value}', new '${wanted.get(e.key)}')`).join(', ');
    throw new GyreError('CONFLICT', `Changing param values is not allowed: ${list} in run '${runId}'. Params are write-once; log a new run to try other values.`, {
      runId,
      keys: changed.map((e) => e.key),
    });
  }
  for (const e of existing) wanted.delete(e.key);
  if (wanted.size === 0) return;
  const rows = [...wanted];
  const text = cachedSql(`params:${dialect}:${rows.length}`, () => `INSERT INTO params (run_uuid, key, value) VALUES ${valuesList(dialect, rows.length, 3)}`);
  await db.executeQuery(CompiledQuery.raw(text, rows.flatMap(([key, value]) => [runId, key, value])));
}

function isLater(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return storedValue(a.value).value >= storedValue(b.value).value;
}

async function insertMetrics(db: Db, dialect: Dialect, runId: string, metrics: Metric[]): Promise<void> {
  const latest = new Map<string, Metric>();
  for (const m of metrics) {
    const cur = latest.get(m.key);
    if (!cur || isLater(m, cur)) latest.set(m.key, m);
  }
  const keys = [...latest.keys()];
  const upsert = cachedSql(
    `latest:${dialect}:${keys.length}`,
    () =>
      `INSERT INTO latest_metrics (run_uuid, key, value, timestamp, step, is_nan) VALUES ${valuesList(dialect, keys.length, 6)} ` +
      `ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan ` +
      // MLflow's rule: the latest point is the one with the largest (step, timestamp, value).
      `WHERE (excluded.step, excluded.timestamp, excluded.value) >= (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`,
  );
  const upsertParams: unknown[] = [];
  for (const m of latest.values()) {
    const s = storedValue(m.value);
    upsertParams.push(runId, m.key, s.value, m.timestamp, m.step, s.is_nan);
  }
  await db.executeQuery(CompiledQuery.raw(upsert, upsertParams));

  const select = cachedSql(
    `series:${dialect}:${keys.length}`,
    () => `SELECT series_id, key FROM latest_metrics WHERE run_uuid = ${placeholders(dialect, 1)} AND key IN (${placeholders(dialect, keys.length, 1)})`,
  );
  const series = await db.executeQuery<{ series_id: number; key: string }>(CompiledQuery.raw(select, [runId, ...keys]));
  const seriesId = new Map(series.rows.map((r) => [r.key, r.series_id]));

  for (let start = 0; start < metrics.length; start += POINTS_PER_STATEMENT) {
    const chunk = metrics.slice(start, start + POINTS_PER_STATEMENT);
    const text = cachedSql(
      `points:${dialect}:${chunk.length}`,
      () => `INSERT INTO metric_points (series_id, step, timestamp, is_nan, value) VALUES ${valuesList(dialect, chunk.length, 5)} ON CONFLICT DO NOTHING`,
    );
    const values: unknown[] = [];
    for (const m of chunk) {
      const s = storedValue(m.value);
      values.push(seriesId.get(m.key), m.step, m.timestamp, s.is_nan, s.value);
    }
    await db.executeQuery(CompiledQuery.raw(text, values));
  }
}
