/**
 * Writes that touch many runs in one statement each, for callers that record many runs per
 * transaction (pipeline steps' nested runs, group-committed): one INSERT or UPDATE per table per
 * batch instead of one per run. SQL text is cached per (dialect, row count), as in log-batch.ts.
 */
import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, RunsTable } from '../schema.js';
import type { RunStatus } from '../../tracking/entities.js';
import { cachedSql, placeholders, valuesList } from './sql-text.js';
import type { Dialect } from './sql-text.js';

type Db = Kysely<Database>;

export interface RunKeyValue {
  runId: string;
  key: string;
  value: string;
}

const RUN_COLUMNS = ['run_uuid', 'experiment_id', 'name', 'user_id', 'status', 'start_time', 'end_time', 'lifecycle_stage', 'artifact_uri', 'deleted_time'] as const;

export async function insertRunRows(db: Db, dialect: Dialect, rows: RunsTable[]): Promise<void> {
  if (rows.length === 0) return;
  const text = cachedSql(`runs:${dialect}:${rows.length}`, () => `INSERT INTO runs (${RUN_COLUMNS.join(', ')}) VALUES ${valuesList(dialect, rows.length, RUN_COLUMNS.length)}`);
  await db.executeQuery(CompiledQuery.raw(text, rows.flatMap((r) => RUN_COLUMNS.map((c) => r[c]))));
}

/** Tags of many runs; a key already set is overwritten (last write wins, as log-batch does). */
export async function upsertRunTags(db: Db, dialect: Dialect, tags: RunKeyValue[]): Promise<void> {
  const unique = [...new Map(tags.map((t) => [`${t.runId}\u0000${t.key}`, t])).values()];
  if (unique.length === 0) return;
  const text = cachedSql(
    `run-tags:${dialect}:${unique.length}`,
    () => `INSERT INTO tags (run_uuid, key, value) VALUES ${valuesList(dialect, unique.length, 3)} ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value`,
  );
  await db.executeQuery(CompiledQuery.raw(text, unique.flatMap((t) => [t.runId, t.key, t.value])));
}

/** Params of many fresh runs. Write-once: a key the run already has keeps its first value. */
export async function insertRunParams(db: Db, dialect: Dialect, params: RunKeyValue[]): Promise<void> {
  const unique = [...new Map(params.map((p) => [`${p.runId}\u0000${p.key}`, p])).values()];
  if (unique.length === 0) return;
  const text = cachedSql(`run-params:${dialect}:${unique.length}`, () => `INSERT INTO params (run_uuid, key, value) VALUES ${valuesList(dialect, unique.length, 3)} ON CONFLICT DO NOTHING`);
  await db.executeQuery(CompiledQuery.raw(text, unique.flatMap((p) => [p.runId, p.key, p.value])));
}

/** Ends many runs that are still open (RUNNING or SCHEDULED) in one UPDATE; runs already ended keep their end. */
export async function endOpenRuns(db: Db, dialect: Dialect, ends: { runId: string; status: Exclude<RunStatus, 'RUNNING' | 'SCHEDULED'>; endTime: number }[]): Promise<void> {
  if (ends.length === 0) return;
  // VALUES columns are named column1..N in both dialects; PostgreSQL types them as text, hence the cast.
  const text = cachedSql(
    `runs-end:${dialect}:${ends.length}`,
    () =>
      `UPDATE runs SET status = v.column2, end_time = CAST(v.column3 AS BIGINT) ` +
      `FROM (VALUES ${valuesList(dialect, ends.length, 3)}) AS v WHERE runs.run_uuid = v.column1 AND runs.status IN ('RUNNING', 'SCHEDULED')`,
  );
  await db.executeQuery(CompiledQuery.raw(text, ends.flatMap((e) => [e.runId, e.status, e.endTime])));
}

/** SCHEDULED runs become RUNNING (runs that have moved on are left alone). */
export async function markRunsRunning(db: Db, dialect: Dialect, runIds: string[]): Promise<void> {
  if (runIds.length === 0) return;
  const text = cachedSql(`run-running:${dialect}:${runIds.length}`, () => `UPDATE runs SET status = 'RUNNING' WHERE status = 'SCHEDULED' AND run_uuid IN (${placeholders(dialect, runIds.length)})`);
  await db.executeQuery(CompiledQuery.raw(text, runIds));
}
