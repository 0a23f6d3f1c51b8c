/** Run reads and writes over Kysely, shared by the SQLite and PostgreSQL backends. */
import type { Kysely } from 'kysely';
import type { Database, RunsTable } from '../schema.js';
import type { CreateRunInput, DatasetInput, Experiment, Run, RunInfo, RunStatus, Tag, UpdateRunInput } from '../../tracking/entities.js';
import { TAG_DATASET_CONTEXT, TAG_RUN_NAME, TAG_USER } from '../../tracking/entities.js';
import { GyreError, notFound } from '../../core/errors.js';
import { newRunId, newUuid } from '../../core/ids.js';
import { getExperiment } from './experiment-queries.js';
import { toMetric, toRunInfo } from './row-mappers.js';
import { dialectOf, parseEntries, selectRunDetails } from './run-details.js';
import type { Dialect } from './sql-text.js';

type Db = Kysely<Database>;

export async function createRun(db: Db, input: CreateRunInput, runName: string): Promise<Run> {
  const exp = await getExperiment(db, input.experimentId);
  if (exp.lifecycleStage !== 'active') {
    throw new GyreError('INVALID_STATE', `Experiment ${input.experimentId} is deleted; runs cannot be created in it.`, {
      experimentId: input.experimentId,
    });
  }
  const runId = newRunId();
  const { row, tags } = newRunRow(exp, runId, input, runName, 'RUNNING');
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('runs').values(row).execute();
    await trx.insertInto('tags').values(tags.map((t) => ({ run_uuid: runId, ...t }))).execute();
  });
  return getRun(db, runId);
}

/** The row and tags of a new run, as createRun writes them (pipeline steps' runs are written in batches the same way). */
export function newRunRow(exp: Pick<Experiment, 'experimentId' | 'artifactLocation'>, runId: string, input: Omit<CreateRunInput, 'experimentId'>, runName: string, status: RunStatus): { row: RunsTable; tags: Tag[] } {
  const userId = input.userId ?? '';
  const row: RunsTable = {
    run_uuid: runId,
    experiment_id: Number(exp.experimentId),
    name: runName,
    user_id: userId,
    status,
    start_time: input.startTime ?? Date.now(),
    end_time: null,
    lifecycle_stage: 'active',
    artifact_uri: `${exp.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`,
    deleted_time: null,
  };
  // MLflow mirrors the run name and user into tags; its UI and clients read them there.
  const tags = new Map<string, string>((input.tags ?? []).map((t) => [t.key, t.value]));
  tags.set(TAG_RUN_NAME, runName);
  if (userId && !tags.has(TAG_USER)) tags.set(TAG_USER, userId);
  return { row, tags: [...tags].map(([key, value]) => ({ key, value })) };
}

export async function getRunRow(db: Db, runId: string): Promise<RunsTable> {
  const row = await db.selectFrom('runs').selectAll().where('run_uuid', '=', runId).executeTakeFirst();
  if (!row) throw notFound(`No run with id '${runId}'.`, { runId });
  return row;
}

/** Logging into a deleted run is refused, as MLflow does: restore it first. */
export async function requireActiveRun(db: Db, runId: string): Promise<RunsTable> {
  const row = await getRunRow(db, runId);
  if (row.lifecycle_stage !== 'active') {
    throw new GyreError('INVALID_STATE', `Run '${runId}' is deleted; restore it before changing it.`, { runId });
  }
  return row;
}

export async function getRun(db: Db, runId: string): Promise<Run> {
  await getRunRow(db, runId);
  const [run] = await loadRuns(db, [runId]);
  return run;
}

/** Runs loaded per statement: bounds the parameter count (SQLite allows 32,766) for 50,000-run pages. */
const LOAD_CHUNK = 1000;

/**
 * Loads whole runs (info, params, latest metrics, tags, inputs) for the ids, in the given order:
 * one row per run with its lists as JSON (run-details.ts), plus the rarer dataset inputs.
 */
export async function loadRuns(db: Db, runIds: string[], dialect: Dialect = dialectOf(db)): Promise<Run[]> {
  const runs = new Map<string, Run>();
  for (let start = 0; start < runIds.length; start += LOAD_CHUNK) {
    const ids = runIds.slice(start, start + LOAD_CHUNK);
    const [rows, inputs] = await Promise.all([
      selectRunDetails(db, dialect, ids),
      db
        .selectFrom('run_inputs')
        .innerJoin('datasets', 'datasets.dataset_uuid', 'run_inputs.dataset_uuid')
        .select(['run_inputs.run_uuid', 'run_inputs.tags', 'datasets.name', 'datasets.digest', 'datasets.source_type', 'datasets.source', 'datasets.schema', 'datasets.profile'])
        .where('run_inputs.run_uuid', 'in', ids)
        .orderBy('datasets.name')
        .execute(),
    ]);
    for (const row of rows) {
      runs.set(row.run_uuid, {
        info: toRunInfo(row),
        data: {
          // Number(): PostgreSQL's JSON spells ±Infinity as the strings "Infinity" and "-Infinity".
          metrics: parseEntries<[string, number | string, number, number, number]>(row.metrics).map(([key, value, timestamp, step, is_nan]) =>
            toMetric(key, { value: Number(value), timestamp, step, is_nan }),
          ),
          params: parseEntries<[string, string]>(row.params).map(([key, value]) => ({ key, value })),
          tags: parseEntries<[string, string]>(row.tags).map(([key, value]) => ({ key, value })),
        },
        inputs: { datasetInputs: [] },
      });
    }
    for (const i of inputs) {
      runs.get(i.run_uuid)?.inputs.datasetInputs.push({
        dataset: {
          name: i.name,
          digest: i.digest,
          sourceType: i.source_type,
          source: i.source,
          ...(i.schema !== null ? { schema: i.schema } : {}),
          ...(i.profile !== null ? { profile: i.profile } : {}),
        },
        tags: JSON.parse(i.tags) as Tag[],
      });
    }
  }
  return runIds.map((id) => runs.get(id)).filter((r): r is Run => r !== undefined);
}

export async function updateRun(db: Db, runId: string, input: UpdateRunInput): Promise<RunInfo> {
  await requireActiveRun(db, runId);
  await db.transaction().execute(async (trx) => {
    const set: Partial<RunsTable> = {};
    if (input.status !== undefined) set.status = input.status;
    if (input.endTime !== undefined) set.end_time = input.endTime;
    if (input.runName !== undefined) set.name = input.runName;
    if (Object.keys(set).length) await trx.updateTable('runs').set(set).where('run_uuid', '=', runId).execute();
    if (input.runName !== undefined) await upsertTags(trx, runId, [{ key: TAG_RUN_NAME, value: input.runName }]);
  });
  return toRunInfo(await getRunRow(db, runId));
}

export async function setRunLifecycle(db: Db, runId: string, stage: 'active' | 'deleted'): Promise<void> {
  const row = await getRunRow(db, runId);
  if (stage === 'active') {
    const exp = await getExperiment(db, String(row.experiment_id));
    if (exp.lifecycleStage !== 'active') {
      throw new GyreError('INVALID_STATE', `Run '${runId}' belongs to deleted experiment ${exp.experimentId}; restore the experiment first.`, { runId });
    }
  }
  await db
    .updateTable('runs')
    .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? Date.now() : null })
    .where('run_uuid', '=', runId)
    .execute();
}

export async function upsertTags(db: Db, runId: string, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return;
  const last = new Map(tags.map((t) => [t.key, t.value])); // last write wins within one batch
  await db
    .insertInto('tags')
    .values([...last].map(([key, value]) => ({ run_uuid: runId, key, value })))
    .onConflict((oc) => oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
  const runName = last.get(TAG_RUN_NAME);
  if (runName !== undefined) await db.updateTable('runs').set({ name: runName }).where('run_uuid', '=', runId).execute();
}

export async function deleteTag(db: Db, runId: string, key: string): Promise<void> {
  await requireActiveRun(db, runId);
  const res = await db.deleteFrom('tags').where('run_uuid', '=', runId).where('key', '=', key).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw notFound(`Run '${runId}' has no tag '${key}'.`, { runId, key });
}

/** MLflow's log-inputs: datasets are deduplicated per experiment by (name, digest). */
export async function logInputs(db: Db, runId: string, inputs: DatasetInput[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const run = await requireActiveRun(trx, runId);
    for (const input of inputs) {
      const d = input.dataset;
      let existing = await trx
        .selectFrom('datasets')
        .select('dataset_uuid')
        .where('experiment_id', '=', run.experiment_id)
        .where('name', '=', d.name)
        .where('digest', '=', d.digest)
        .executeTakeFirst();
      if (!existing) {
        existing = { dataset_uuid: newUuid() };
        await trx
          .insertInto('datasets')
          .values({
            dataset_uuid: existing.dataset_uuid,
            experiment_id: run.experiment_id,
            name: d.name,
            digest: d.digest,
            source_type: d.sourceType,
            source: d.source,
            schema: d.schema ?? null,
            profile: d.profile ?? null,
          })
          .execute();
      }
      const context = input.tags.find((t) => t.key === TAG_DATASET_CONTEXT)?.value ?? null;
      await trx
        .insertInto('run_inputs')
        .values({ run_uuid: runId, dataset_uuid: existing.dataset_uuid, context, tags: JSON.stringify(input.tags) })
        .onConflict((oc) => oc.columns(['run_uuid', 'dataset_uuid']).doUpdateSet({ context, tags: JSON.stringify(input.tags) }))
        .execute();
    }
  });
}
