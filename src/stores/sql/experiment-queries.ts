/** Experiment reads and writes over Kysely, shared by the SQLite and PostgreSQL backends. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { CreateExperimentInput, Experiment, Tag } from '../../tracking/entities.js';
import { alreadyExists, GyreError, invalidArgument, notFound } from '../../core/errors.js';
import { isUniqueViolation } from './sql-errors.js';
import { toExperiment } from './row-mappers.js';

type Db = Kysely<Database>;

export function parseExperimentId(experimentId: string): number {
  const id = Number(experimentId);
  if (!/^\d+$/.test(String(experimentId)) || !Number.isSafeInteger(id)) {
    throw invalidArgument(`Experiment id '${experimentId}' is not valid: experiment ids are non-negative integers.`, {
      experimentId,
    });
  }
  return id;
}

export async function createExperiment(db: Db, input: CreateExperimentInput): Promise<string> {
  const now = Date.now();
  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('experiments').select(['experiment_id', 'lifecycle_stage']).where('name', '=', input.name).executeTakeFirst();
      if (existing) {
        const hint = existing.lifecycle_stage === 'deleted' ? ' It is deleted: restore it, or choose another name.' : '';
        throw alreadyExists(`Experiment '${input.name}' already exists.${hint}`, { name: input.name });
      }
      const row = await trx
        .insertInto('experiments')
        .values({ name: input.name, artifact_location: input.artifactLocation ?? '', lifecycle_stage: 'active', creation_time: now, last_update_time: now })
        .returning('experiment_id')
        .executeTakeFirstOrThrow();
      const id = row.experiment_id;
      if (!input.artifactLocation) {
        await trx.updateTable('experiments').set({ artifact_location: `mlflow-artifacts:/${id}` }).where('experiment_id', '=', id).execute();
      }
      if (input.tags?.length) {
        await trx.insertInto('experiment_tags').values(input.tags.map((t) => ({ experiment_id: id, key: t.key, value: t.value }))).execute();
      }
      return String(id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyExists(`Experiment '${input.name}' already exists.`, { name: input.name });
    throw err;
  }
}

async function tagsOf(db: Db, ids: number[]): Promise<Map<number, Tag[]>> {
  const out = new Map<number, Tag[]>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('experiment_tags').selectAll().where('experiment_id', 'in', ids).orderBy('key').execute();
  for (const r of rows) {
    const list = out.get(r.experiment_id) ?? [];
    list.push({ key: r.key, value: r.value });
    out.set(r.experiment_id, list);
  }
  return out;
}

export async function getExperiment(db: Db, experimentId: string): Promise<Experiment> {
  const id = parseExperimentId(experimentId);
  const row = await db.selectFrom('experiments').selectAll().where('experiment_id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`No experiment with id ${experimentId}.`, { experimentId });
  return toExperiment(row, (await tagsOf(db, [id])).get(id) ?? []);
}

export async function getExperimentByName(db: Db, name: string): Promise<Experiment> {
  const row = await db.selectFrom('experiments').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw notFound(`No experiment named '${name}'.`, { name });
  return toExperiment(row, (await tagsOf(db, [row.experiment_id])).get(row.experiment_id) ?? []);
}

/** All experiments with their tags, for in-memory filtering (experiments number in the hundreds). */
export async function listExperiments(db: Db): Promise<Experiment[]> {
  const rows = await db.selectFrom('experiments').selectAll().orderBy('experiment_id').execute();
  const tags = await tagsOf(db, rows.map((r) => r.experiment_id));
  return rows.map((r) => toExperiment(r, tags.get(r.experiment_id) ?? []));
}

export async function renameExperiment(db: Db, experimentId: string, newName: string): Promise<void> {
  const exp = await getExperiment(db, experimentId);
  if (exp.lifecycleStage !== 'active') {
    throw new GyreError('INVALID_STATE', `Experiment ${experimentId} is deleted; restore it before renaming.`, { experimentId });
  }
  try {
    await db.updateTable('experiments').set({ name: newName, last_update_time: Date.now() }).where('experiment_id', '=', Number(experimentId)).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyExists(`Experiment '${newName}' already exists.`, { name: newName });
    throw err;
  }
}

/** Soft delete (MLflow's): the experiment and its runs move to the 'deleted' lifecycle stage. */
export async function setExperimentLifecycle(db: Db, experimentId: string, stage: 'active' | 'deleted'): Promise<void> {
  const exp = await getExperiment(db, experimentId);
  if (stage === 'deleted' && exp.experimentId === '0') {
    throw invalidArgument('The Default experiment (id 0) cannot be deleted.', { experimentId });
  }
  if (exp.lifecycleStage === stage) {
    const what = stage === 'deleted' ? 'already deleted' : 'not deleted';
    throw new GyreError('INVALID_STATE', `Experiment ${experimentId} is ${what}.`, { experimentId, lifecycleStage: exp.lifecycleStage });
  }
  const id = Number(experimentId);
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('experiments').set({ lifecycle_stage: stage, last_update_time: now }).where('experiment_id', '=', id).execute();
    await trx
      .updateTable('runs')
      .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? now : null })
      .where('experiment_id', '=', id)
      .execute();
  });
}

export async function setExperimentTag(db: Db, experimentId: string, key: string, value: string): Promise<void> {
  const exp = await getExperiment(db, experimentId);
  if (exp.lifecycleStage !== 'active') {
    throw new GyreError('INVALID_STATE', `Experiment ${experimentId} is deleted; restore it before tagging.`, { experimentId });
  }
  await db
    .insertInto('experiment_tags')
    .values({ experiment_id: Number(experimentId), key, value })
    .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value }))
    .execute();
}

export async function deleteExperimentTag(db: Db, experimentId: string, key: string): Promise<void> {
  await getExperiment(db, experimentId);
  const res = await db.deleteFrom('experiment_tags').where('experiment_id', '=', Number(experimentId)).where('key', '=', key).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) {
    throw notFound(`Experiment ${experimentId} has no tag '${key}'.`, { experimentId, key });
  }
}
