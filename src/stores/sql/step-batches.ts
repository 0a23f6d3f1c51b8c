/**
 * Multi-row compare-and-set updates of pipeline steps: one UPDATE … FROM (VALUES …) per batch,
 * RETURNING the steps it applied to — SQLite's statements for queue and finish (PostgreSQL runs
 * those as one statement each, step-batches-postgres.ts), and both dialects' start marks. Both
 * dialects name VALUES columns column1..N; PostgreSQL types bound VALUES as text, hence the casts.
 */
import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { CacheEntry } from '../../pipelines/entities.js';
import type { StepFinished, StepStarted, StepToQueue } from '../../pipelines/pipeline-store.js';
import { cachedSql, valuesList } from './sql-text.js';
import type { Dialect } from './sql-text.js';

type Db = Kysely<Database>;

const matchesAttempt = `pipeline_steps.run_id = v.column1 AND pipeline_steps.step = v.column2 AND pipeline_steps.attempt = CAST(v.column3 AS INTEGER)`;

/**
 * The tracking runs of the attempts an update applied to. An attempt is told by its tracking run,
 * not by (run, step): two items for one step in a batch cannot both be reported applied.
 */
async function updateReturning(db: Db, text: string, values: unknown[]): Promise<Set<string>> {
  const r = await db.executeQuery<{ tracking_run_id: string }>(CompiledQuery.raw(text, values));
  return new Set(r.rows.map((row) => row.tracking_run_id));
}

export function queueStepRows(db: Db, dialect: Dialect, items: StepToQueue[]): Promise<Set<string>> {
  const text = cachedSql(
    `steps-queue:${dialect}:${items.length}`,
    () =>
      `UPDATE pipeline_steps SET status = 'queued', attempt = CAST(v.column3 AS INTEGER) + 1, cache_key = v.column4, input_digests = v.column5, ` +
      `tracking_run_id = v.column6, worker = NULL, error = NULL, started_at = NULL, ended_at = NULL ` +
      `FROM (VALUES ${valuesList(dialect, items.length, 6)}) AS v ` +
      `WHERE ${matchesAttempt} AND pipeline_steps.status IN ('pending', 'queued', 'running') RETURNING tracking_run_id`,
  );
  return updateReturning(db, text, items.flatMap((i) => [i.runId, i.step, i.fromAttempt, i.cacheKey, JSON.stringify(i.inputDigests), i.trackingRun.runId]));
}

/** Returns the tracking runs of the attempts it marked. */
export async function startStepRows(db: Db, dialect: Dialect, items: StepStarted[]): Promise<string[]> {
  const text = cachedSql(
    `steps-start:${dialect}:${items.length}`,
    () =>
      `UPDATE pipeline_steps SET status = 'running', worker = v.column4, started_at = CAST(v.column5 AS BIGINT) ` +
      `FROM (VALUES ${valuesList(dialect, items.length, 5)}) AS v ` +
      `WHERE ${matchesAttempt} AND pipeline_steps.status = 'queued' RETURNING tracking_run_id`,
  );
  const r = await db.executeQuery<{ tracking_run_id: string }>(CompiledQuery.raw(text, items.flatMap((i) => [i.runId, i.step, i.attempt, i.worker, i.startedAt])));
  return r.rows.map((row) => row.tracking_run_id);
}

export function finishStepRows(db: Db, dialect: Dialect, items: StepFinished[]): Promise<Set<string>> {
  const text = cachedSql(
    `steps-finish:${dialect}:${items.length}`,
    () =>
      `UPDATE pipeline_steps SET status = v.column4, outputs = v.column5, error = v.column6, worker = v.column7, ` +
      `started_at = CAST(v.column8 AS BIGINT), ended_at = CAST(v.column9 AS BIGINT) ` +
      `FROM (VALUES ${valuesList(dialect, items.length, 10)}) AS v ` +
      `WHERE ${matchesAttempt} AND pipeline_steps.tracking_run_id = v.column10 AND pipeline_steps.status IN ('queued', 'running') RETURNING tracking_run_id`,
  );
  return updateReturning(db, text, items.flatMap((i) => [i.runId, i.step, i.attempt, i.status, JSON.stringify(i.outputs), i.error, i.worker, i.startedAt, i.endedAt, i.trackingRunId]));
}

/** A finished step's status as its tracking run's. */
export const TRACKING_STATUS = { succeeded: 'FINISHED', failed: 'FAILED', cancelled: 'KILLED' } as const;

/** The first entry for a key wins (equal keys mean equal outputs). */
export async function insertCacheRows(db: Db, dialect: Dialect, entries: CacheEntry[]): Promise<void> {
  const unique = [...new Map(entries.map((e) => [`${e.pipeline}\u0000${e.step}\u0000${e.cacheKey}`, e])).values()];
  if (unique.length === 0) return;
  const text = cachedSql(
    `cache-put:${dialect}:${unique.length}`,
    () => `INSERT INTO pipeline_cache (pipeline, step, cache_key, outputs, tracking_run_id, created_at) VALUES ${valuesList(dialect, unique.length, 6)} ON CONFLICT DO NOTHING`,
  );
  await db.executeQuery(CompiledQuery.raw(text, unique.flatMap((e) => [e.pipeline, e.step, e.cacheKey, JSON.stringify(e.outputs), e.trackingRunId, e.createdAt])));
}
