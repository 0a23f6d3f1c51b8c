/** PipelineStore over Kysely, shared by SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.js';
import type { PipelineRunsTable, PipelineStepsTable } from '../pipeline-tables.js';
import type { PipelineStore, StepFinished, StepPatch, StepStarted, StepToQueue } from '../../pipelines/pipeline-store.js';
import { TAG_SUPERSEDED } from '../../pipelines/pipeline-store.js';
import type { CacheEntry, PipelineDefinition, PipelineRun, PipelineRunStatus, StepState, StepStatus } from '../../pipelines/entities.js';
import { alreadyExists, GyreError, notFound } from '../../core/errors.js';
import { isUniqueViolation } from './sql-errors.js';
import type { Dialect } from './sql-text.js';
import type { WriteCounter } from '../write-counter.js';
import type { PreparedQuery, SqlDatabase } from '../sql-database.js';
import { newRunRow } from './run-queries.js';
import { endOpenRuns, insertRunParams, insertRunRows, markRunsRunning, upsertRunTags } from './run-batches.js';
import { finishStepRows, insertCacheRows, queueStepRows, startStepRows, TRACKING_STATUS } from './step-batches.js';
import { createRunPostgres, finishStepsPostgres, queueStepsPostgres } from './step-batches-postgres.js';


const toRun = (r: Selectable<PipelineRunsTable>): PipelineRun => ({
  runId: r.run_id,
  pipeline: r.pipeline,
  status: r.status as PipelineRunStatus,
  trackingRunId: r.tracking_run_id,
  definition: JSON.parse(r.definition) as PipelineDefinition,
  trigger: r.trigger_name,
  force: r.force_run === 1,
  cancelRequested: r.cancel_requested === 1,
  error: r.error,
  createdAt: Number(r.created_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
});

const toStep = (r: Selectable<PipelineStepsTable>): StepState => ({
  runId: r.run_id,
  step: r.step,
  status: r.status as StepStatus,
  attempt: r.attempt,
  cacheKey: r.cache_key,
  trackingRunId: r.tracking_run_id,
  cachedFromRunId: r.cached_from_run_id,
  outputs: JSON.parse(r.outputs),
  inputDigests: JSON.parse(r.input_digests),
  error: r.error,
  worker: r.worker,
  startedAt: r.started_at === null ? null : Number(r.started_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
});

const COLUMN_OF: Record<keyof StepPatch, keyof PipelineStepsTable> = {
  status: 'status',
  attempt: 'attempt',
  cacheKey: 'cache_key',
  trackingRunId: 'tracking_run_id',
  cachedFromRunId: 'cached_from_run_id',
  outputs: 'outputs',
  inputDigests: 'input_digests',
  error: 'error',
  worker: 'worker',
  startedAt: 'started_at',
  endedAt: 'ended_at',
};

export class SqlPipelineStore implements PipelineStore {
  private readonly db: Kysely<Database>;
  private readonly dialect: Dialect;
  /** Shared with the tracking store: queue and finish write tracking runs, which read caches must see. */
  private readonly writes: WriteCounter;
  private readonly prepared: PreparedQuery | undefined;

  constructor(database: Pick<SqlDatabase, 'db' | 'dialect' | 'writes' | 'prepared'>) {
    this.db = database.db;
    this.dialect = database.dialect;
    this.writes = database.writes;
    this.prepared = database.prepared;
  }

  async createRun(run: PipelineRun, steps: StepState[]): Promise<void> {
    try {
      if (this.prepared) return await createRunPostgres(this.prepared, run, steps);
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('pipeline_runs')
          .values({
            run_id: run.runId,
            pipeline: run.pipeline,
            status: run.status,
            tracking_run_id: run.trackingRunId,
            definition: JSON.stringify(run.definition),
            trigger_name: run.trigger,
            force_run: run.force ? 1 : 0,
            cancel_requested: 0,
            error: run.error,
            created_at: run.createdAt,
            ended_at: run.endedAt,
          })
          .execute();
        // Chunks keep PostgreSQL under its 65,535 bind parameters for very wide fan-outs.
        for (let i = 0; i < steps.length; i += 500) {
          await trx
            .insertInto('pipeline_steps')
            .values(steps.slice(i, i + 500).map((s, j) => ({ ...stepRow(s), run_id: run.runId, step: s.step, position: i + j })))
            .execute();
        }
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyExists(`Pipeline run '${run.runId}' already exists.`, { runId: run.runId });
      throw err;
    }
  }

  async getRun(runId: string): Promise<PipelineRun> {
    const row = await this.db.selectFrom('pipeline_runs').selectAll().where('run_id', '=', runId).executeTakeFirst();
    if (!row) throw notFound(`No pipeline run '${runId}'. List runs with 'gyre pipelines list'.`, { runId });
    return toRun(row);
  }

  async listRuns(filter: { pipeline?: string; limit: number }): Promise<PipelineRun[]> {
    let q = this.db.selectFrom('pipeline_runs').selectAll();
    if (filter.pipeline) q = q.where('pipeline', '=', filter.pipeline);
    const rows = await q.orderBy('created_at', 'desc').orderBy('run_id', 'desc').limit(filter.limit).execute();
    return rows.map(toRun);
  }

  async finishRun(runId: string, status: Exclude<PipelineRunStatus, 'running'>, error: string | null, endedAt: number): Promise<boolean> {
    const r = await this.db.updateTable('pipeline_runs').set({ status, error, ended_at: endedAt }).where('run_id', '=', runId).where('status', '=', 'running').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async isCancelRequested(runId: string): Promise<boolean> {
    const row = await this.db.selectFrom('pipeline_runs').select('cancel_requested').where('run_id', '=', runId).executeTakeFirst();
    return row?.cancel_requested === 1;
  }

  async requestCancel(runId: string): Promise<void> {
    const r = await this.db.updateTable('pipeline_runs').set({ cancel_requested: 1 }).where('run_id', '=', runId).where('status', '=', 'running').executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) return;
    const run = await this.getRun(runId);
    throw new GyreError('INVALID_STATE', `Pipeline run '${runId}' has already ended (${run.status}); there is nothing to cancel.`, { runId, status: run.status });
  }

  async getSteps(runId: string): Promise<StepState[]> {
    const rows = await this.db.selectFrom('pipeline_steps').selectAll().where('run_id', '=', runId).orderBy('position').execute();
    return rows.map(toStep);
  }

  async getStep(runId: string, step: string): Promise<StepState> {
    const row = await this.db.selectFrom('pipeline_steps').selectAll().where('run_id', '=', runId).where('step', '=', step).executeTakeFirst();
    if (!row) throw notFound(`Pipeline run '${runId}' has no step '${step}'.`, { runId, step });
    return toStep(row);
  }

  async updateStep(runId: string, step: string, patch: StepPatch, onlyFrom?: readonly StepStatus[], db: Kysely<Database> = this.db): Promise<boolean> {
    const set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      const column = COLUMN_OF[key as keyof StepPatch];
      set[column] = key === 'outputs' || key === 'inputDigests' ? JSON.stringify(value) : value;
    }
    let q = db.updateTable('pipeline_steps').set(set).where('run_id', '=', runId).where('step', '=', step);
    if (onlyFrom) q = q.where('status', 'in', [...onlyFrom]);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async queueSteps(items: StepToQueue[]): Promise<boolean[]> {
    if (items.length === 0) return [];
    if (this.prepared) {
      const prepared = this.prepared;
      const queued = await this.writes.around(() => queueStepsPostgres(prepared, items, Date.now()));
      return items.map((i) => queued.has(i.trackingRun.runId));
    }
    return this.writes.around(() =>
      this.db.transaction().execute(async (trx) => {
        const queued = await queueStepRows(trx, this.dialect, items);
        const won = items.filter((i) => queued.has(i.trackingRun.runId));
        const runs = won.map((i) => newRunRow(i.trackingRun, i.trackingRun.runId, i.trackingRun, i.trackingRun.runName, 'SCHEDULED'));
        await insertRunRows(trx, this.dialect, runs.map((r) => r.row));
        const superseded = won.flatMap((i) => (i.supersedes ? [i.supersedes] : []));
        await endOpenRuns(trx, this.dialect, superseded.map((runId) => ({ runId, status: 'KILLED', endTime: Date.now() })));
        await upsertRunTags(trx, this.dialect, [
          ...runs.flatMap((r) => r.tags.map((t) => ({ runId: r.row.run_uuid, ...t }))),
          ...superseded.map((runId) => ({ runId, key: TAG_SUPERSEDED, value: 'true' })),
        ]);
        return items.map((i) => queued.has(i.trackingRun.runId));
      }),
    );
  }

  async startSteps(items: StepStarted[]): Promise<void> {
    if (items.length === 0) return;
    await this.writes.around(() =>
      this.db.transaction().execute(async (trx) => {
        await markRunsRunning(trx, this.dialect, await startStepRows(trx, this.dialect, items));
      }),
    );
  }

  async finishSteps(items: StepFinished[]): Promise<boolean[]> {
    if (items.length === 0) return [];
    if (this.prepared) {
      const prepared = this.prepared;
      const finished = await this.writes.around(() => finishStepsPostgres(prepared, items));
      return items.map((i) => finished.has(i.trackingRunId));
    }
    return this.writes.around(() =>
      this.db.transaction().execute(async (trx) => {
        const finished = await finishStepRows(trx, this.dialect, items);
        const won = (i: StepFinished) => finished.has(i.trackingRunId);
        await endOpenRuns(trx, this.dialect, items.map((i) => ({ runId: i.trackingRunId, status: won(i) ? TRACKING_STATUS[i.status] : 'KILLED', endTime: i.endedAt })));
        // A late end is marked on its tracking run, if that run exists: one stray item must not fail the whole batch.
        const late = items.filter((i) => !won(i)).map((i) => i.trackingRunId);
        const lateRuns = late.length === 0 ? [] : (await trx.selectFrom('runs').select('run_uuid').where('run_uuid', 'in', late).execute()).map((r) => r.run_uuid);
        await upsertRunTags(trx, this.dialect, [
          ...items.filter(won).flatMap((i) => i.tags.map((t) => ({ runId: i.trackingRunId, ...t }))),
          ...lateRuns.map((runId) => ({ runId, key: TAG_SUPERSEDED, value: 'true' })),
        ]);
        await insertRunParams(trx, this.dialect, items.filter(won).flatMap((i) => i.params.map((p) => ({ runId: i.trackingRunId, ...p }))));
        await insertCacheRows(trx, this.dialect, items.filter(won).flatMap((i) => (i.cache ? [i.cache] : [])));
        return items.map(won);
      }),
    );
  }

  async lookupCache(pipeline: string, step: string, cacheKey: string): Promise<CacheEntry | null> {
    const row = await this.db.selectFrom('pipeline_cache').selectAll().where('pipeline', '=', pipeline).where('step', '=', step).where('cache_key', '=', cacheKey).executeTakeFirst();
    if (!row) return null;
    return { pipeline: row.pipeline, step: row.step, cacheKey: row.cache_key, outputs: JSON.parse(row.outputs), trackingRunId: row.tracking_run_id, createdAt: Number(row.created_at) };
  }

  async putCache(e: CacheEntry): Promise<void> {
    await insertCacheRows(this.db, this.dialect, [e]);
  }
}

function stepRow(s: StepState) {
  return {
    status: s.status,
    attempt: s.attempt,
    cache_key: s.cacheKey,
    tracking_run_id: s.trackingRunId,
    cached_from_run_id: s.cachedFromRunId,
    outputs: JSON.stringify(s.outputs),
    input_digests: JSON.stringify(s.inputDigests),
    error: s.error,
    worker: s.worker,
    started_at: s.startedAt,
    ended_at: s.endedAt,
  };
}
