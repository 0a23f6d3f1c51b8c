/**
 * PostgreSQL: a batch of queued or finished steps in ONE statement — data-modifying CTEs, so the
 * compare-and-set on the steps, the tracking runs, their tags and params and the cache entries are
 * one round trip and one commit, not one per table plus BEGIN and COMMIT. Rows arrive as arrays
 * (unnest), so each statement has one text whatever the batch size and runs as a named prepared
 * statement: PostgreSQL parses and plans it once per connection (bench/pipelines.js: parsing and
 * planning a fresh statement was half of PostgreSQL's CPU per batch).
 *
 * The CTEs see one snapshot; later ones join the steps the first one updated (RETURNING), and
 * foreign keys are checked at the end of the statement, so tags may name runs inserted beside
 * them. SQLite runs the same writes as a transaction of several statements (step-batches.ts): in
 * process, round trips and parsing cost nothing worth saving.
 */
import type { StepFinished, StepToQueue } from '../../pipelines/pipeline-store.js';
import { TAG_SUPERSEDED } from '../../pipelines/pipeline-store.js';
import { TAG_RUN_NAME } from '../../tracking/entities.js';
import type { PipelineRun, StepState } from '../../pipelines/entities.js';
import type { PreparedQuery } from '../sql-database.js';
import { TRACKING_STATUS } from './step-batches.js';


/** Bumped whenever a statement's text changes: a connection keeps a name's first text for its life. */
const QUEUE_STATEMENT = 'gyre_pipeline_steps_queue_2';
const FINISH_STATEMENT = 'gyre_pipeline_steps_finish_2';

const QUEUE_SQL = `WITH v AS (SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::bigint[], $10::text[], $11::text[])
    AS t(run_id, step, from_attempt, cache_key, input_digests, tracking_run_id, experiment_id, run_name, start_time, artifact_uri, supersedes)),
  queued AS (UPDATE pipeline_steps s SET status = 'queued', attempt = v.from_attempt + 1, cache_key = v.cache_key, input_digests = v.input_digests,
      tracking_run_id = v.tracking_run_id, worker = NULL, error = NULL, started_at = NULL, ended_at = NULL
    FROM v WHERE s.run_id = v.run_id AND s.step = v.step AND s.attempt = v.from_attempt AND s.status IN ('pending', 'queued', 'running')
    RETURNING s.run_id, s.step, v.tracking_run_id AS new_run, v.supersedes),
  new_runs AS (INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri, deleted_time)
    SELECT v.tracking_run_id, v.experiment_id, v.run_name, '', 'SCHEDULED', v.start_time, NULL, 'active', v.artifact_uri, NULL FROM v JOIN queued q ON q.new_run = v.tracking_run_id),
  killed AS (UPDATE runs r SET status = 'KILLED', end_time = $12::bigint FROM queued q WHERE r.run_uuid = q.supersedes AND r.status IN ('RUNNING', 'SCHEDULED')),
  new_tags AS (INSERT INTO tags (run_uuid, key, value)
    SELECT t.run_uuid, t.key, t.value FROM unnest($13::text[], $14::text[], $15::text[]) AS t(run_uuid, key, value) JOIN queued q ON q.new_run = t.run_uuid
    UNION ALL SELECT q.supersedes, '${TAG_SUPERSEDED}', 'true' FROM queued q WHERE q.supersedes IS NOT NULL
    ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value)
SELECT new_run AS tracking_run_id FROM queued`;

const FINISH_SQL = `WITH v AS (SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::text[])
    AS t(run_id, step, attempt, status, outputs, error, worker, started_at, ended_at, tracking_run_id, tracking_status)),
  done AS (UPDATE pipeline_steps s SET status = v.status, outputs = v.outputs, error = v.error, worker = v.worker, started_at = v.started_at, ended_at = v.ended_at
    FROM v WHERE s.run_id = v.run_id AND s.step = v.step AND s.attempt = v.attempt AND s.tracking_run_id = v.tracking_run_id AND s.status IN ('queued', 'running')
    RETURNING s.run_id, s.step, v.tracking_run_id),
  ended AS (UPDATE runs r SET status = CASE WHEN d.tracking_run_id IS NULL THEN 'KILLED' ELSE v.tracking_status END, end_time = v.ended_at
    FROM v LEFT JOIN done d ON d.tracking_run_id = v.tracking_run_id WHERE r.run_uuid = v.tracking_run_id AND r.status IN ('RUNNING', 'SCHEDULED')),
  kv AS (SELECT * FROM unnest($12::text[], $13::text[], $14::text[], $15::text[]) AS t(kind, run_uuid, key, value)),
  tags_in AS (INSERT INTO tags (run_uuid, key, value)
    SELECT kv.run_uuid, kv.key, kv.value FROM kv JOIN done d ON d.tracking_run_id = kv.run_uuid WHERE kv.kind = 't'
    UNION ALL SELECT v.tracking_run_id, '${TAG_SUPERSEDED}', 'true' FROM v
      WHERE NOT EXISTS (SELECT 1 FROM done d WHERE d.tracking_run_id = v.tracking_run_id) AND EXISTS (SELECT 1 FROM runs r WHERE r.run_uuid = v.tracking_run_id)
    ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value),
  params_in AS (INSERT INTO params (run_uuid, key, value)
    SELECT kv.run_uuid, kv.key, kv.value FROM kv JOIN done d ON d.tracking_run_id = kv.run_uuid WHERE kv.kind = 'p' ON CONFLICT DO NOTHING),
  cache_in AS (INSERT INTO pipeline_cache (pipeline, step, cache_key, outputs, tracking_run_id, created_at)
    SELECT c.pipeline, c.step, c.cache_key, c.outputs, c.tracking_run_id, c.created_at
    FROM unnest($16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::bigint[]) AS c(for_run, pipeline, step, cache_key, outputs, tracking_run_id, created_at)
    JOIN done d ON d.tracking_run_id = c.for_run ON CONFLICT DO NOTHING)
SELECT tracking_run_id FROM done`;

/** Columns of rows, for unnest: `columns(rows, 3)` → three arrays. */
function columns(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  const out: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) for (let c = 0; c < width; c++) out[c]!.push(row[c] ?? null);
  return out;
}

/** The tracking runs of the attempts a statement applied to (see step-batches.ts updateReturning). */
async function stepsReturned(query: PreparedQuery, name: string, text: string, values: unknown[]): Promise<Set<string>> {
  const rows = await query<{ tracking_run_id: string }>(name, text, values);
  return new Set(rows.map((row) => row.tracking_run_id));
}

export function queueStepsPostgres(query: PreparedQuery, items: StepToQueue[], now: number): Promise<Set<string>> {
  const steps = items.map((i) => {
    const r = i.trackingRun;
    return [i.runId, i.step, i.fromAttempt, i.cacheKey, JSON.stringify(i.inputDigests), r.runId, Number(r.experimentId), r.runName, r.startTime, `${r.artifactLocation.replace(/\/+$/, '')}/${r.runId}/artifacts`, i.supersedes];
  });
  // The run name is mirrored into its tag, as createRun does; one row per (run, key).
  const tags = [...new Map(items.flatMap((i) => [...i.trackingRun.tags, { key: TAG_RUN_NAME, value: i.trackingRun.runName }].map((t) => [`${i.trackingRun.runId}\u0000${t.key}`, [i.trackingRun.runId, t.key, t.value]]))).values()];
  return stepsReturned(query, QUEUE_STATEMENT, QUEUE_SQL, [...columns(steps, 11), now, ...columns(tags, 3)]);
}

export function finishStepsPostgres(query: PreparedQuery, items: StepFinished[]): Promise<Set<string>> {
  const steps = items.map((i) => [i.runId, i.step, i.attempt, i.status, JSON.stringify(i.outputs), i.error, i.worker, i.startedAt, i.endedAt, i.trackingRunId, TRACKING_STATUS[i.status]]);
  // Params ('p') and tags ('t') of every item, one row per (run, key): one ON CONFLICT target per row.
  const kv = [
    ...new Map<string, unknown[]>(
      items.flatMap((i) => [
        ...i.params.map((p): [string, unknown[]] => [`p\u0000${i.trackingRunId}\u0000${p.key}`, ['p', i.trackingRunId, p.key, p.value]]),
        ...i.tags.map((t): [string, unknown[]] => [`t\u0000${i.trackingRunId}\u0000${t.key}`, ['t', i.trackingRunId, t.key, t.value]]),
      ]),
    ).values(),
  ];
  // Joined by the item's tracking run: an entry is indexed only for an attempt that applied.
  const caches = items.flatMap((i) => (i.cache ? [[i.trackingRunId, i.cache.pipeline, i.cache.step, i.cache.cacheKey, JSON.stringify(i.cache.outputs), i.cache.trackingRunId, i.cache.createdAt]] : []));
  return stepsReturned(query, FINISH_STATEMENT, FINISH_SQL, [...columns(steps, 11), ...columns(kv, 4), ...columns(caches, 7)]);
}

const CREATE_RUN_STATEMENT = 'gyre_pipeline_run_create_1';
const CREATE_RUN_SQL = `WITH run AS (INSERT INTO pipeline_runs (run_id, pipeline, status, tracking_run_id, definition, trigger_name, force_run, cancel_requested, error, created_at, ended_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10) RETURNING run_id)
INSERT INTO pipeline_steps (run_id, step, position, status, attempt, cache_key, tracking_run_id, cached_from_run_id, outputs, input_digests, error, worker, started_at, ended_at)
SELECT run.run_id, t.* FROM run, unnest($11::text[], $12::int[], $13::text[], $14::int[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::bigint[], $23::bigint[])
  AS t(step, position, status, attempt, cache_key, tracking_run_id, cached_from_run_id, outputs, input_digests, error, worker, started_at, ended_at)`;

/**
 * A run and all its steps in one prepared statement: a 1,000-item fan-out is one round trip, where
 * query-builder inserts cost its coordinator ~23 ms of CPU per run (bench/pipelines.js).
 */
export async function createRunPostgres(query: PreparedQuery, run: PipelineRun, steps: StepState[]): Promise<void> {
  const rows = steps.map((s, position) => [s.step, position, s.status, s.attempt, s.cacheKey, s.trackingRunId, s.cachedFromRunId, JSON.stringify(s.outputs), JSON.stringify(s.inputDigests), s.error, s.worker, s.startedAt, s.endedAt]);
  await query(CREATE_RUN_STATEMENT, CREATE_RUN_SQL, [
    run.runId, run.pipeline, run.status, run.trackingRunId, JSON.stringify(run.definition), run.trigger, run.force ? 1 : 0, run.error, run.createdAt, run.endedAt,
    ...columns(rows, 13),
  ]);
}
