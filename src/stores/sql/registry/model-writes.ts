/** Registered model writes: create, rename, describe, delete, tags. */
import type { Db } from './registry-rows.js';
import { loadModels, lockModel } from './registry-rows.js';
import { appendEvent } from './registry-events.js';
import type { Actor, CreateModelInput, RegisteredModel } from '../../../registry/entities.js';
import { alreadyExists, notFound } from '../../../core/errors.js';
import { isUniqueViolation } from '../sql-errors.js';

const taken = (name: string) => alreadyExists(`Registered model '${name}' already exists. Choose another name, or add a version to it.`, { name });

export async function createModel(db: Db, input: CreateModelInput, actor: Actor): Promise<RegisteredModel> {
  const now = Date.now();
  try {
    await db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('registered_models').select('model_id').where('name', '=', input.name).executeTakeFirst();
      if (exists) throw taken(input.name);
      const { model_id } = await trx
        .insertInto('registered_models')
        .values({ name: input.name, description: input.description ?? '', creation_time: now, last_updated_time: now, next_version: 1 })
        .returning('model_id')
        .executeTakeFirstOrThrow();
      if (input.tags?.length) await trx.insertInto('registered_model_tags').values(input.tags.map((t) => ({ model_id, key: t.key, value: t.value }))).execute();
      await appendEvent(trx, 'registered_model.created', input.name, null, { name: input.name, description: input.description ?? '', tags: input.tags ?? [] }, actor, now);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(input.name);
    throw err;
  }
  return (await loadModels(db, input.name))[0]!;
}

export async function renameModel(db: Db, name: string, newName: string, actor: Actor): Promise<RegisteredModel> {
  try {
    await db.transaction().execute(async (trx) => {
      const id = await lockModel(trx, name);
      const exists = await trx.selectFrom('registered_models').select('model_id').where('name', '=', newName).executeTakeFirst();
      if (exists) throw taken(newName);
      await trx.updateTable('registered_models').set({ name: newName }).where('model_id', '=', id).execute();
      await appendEvent(trx, 'registered_model.renamed', newName, null, { from: name, to: newName }, actor);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(newName);
    throw err;
  }
  return (await loadModels(db, newName))[0]!;
}

export async function updateModel(db: Db, name: string, description: string, actor: Actor): Promise<RegisteredModel> {
  await db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    await trx.updateTable('registered_models').set({ description }).where('model_id', '=', id).execute();
    await appendEvent(trx, 'registered_model.updated', name, null, { description }, actor);
  });
  return (await loadModels(db, name))[0]!;
}

export async function deleteModel(db: Db, name: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    // Explicit order (not only ON DELETE CASCADE): aliases reference versions, versions the model.
    await trx.deleteFrom('model_aliases').where('model_id', '=', id).execute();
    await trx.deleteFrom('model_version_tags').where('model_id', '=', id).execute();
    await trx.deleteFrom('model_versions').where('model_id', '=', id).execute();
    await trx.deleteFrom('registered_model_tags').where('model_id', '=', id).execute();
    await trx.deleteFrom('alias_protections').where('model_id', '=', id).execute();
    await trx.deleteFrom('approval_requests').where('model_id', '=', id).execute();
    await trx.deleteFrom('alias_history').where('model_id', '=', id).execute();
    await trx.deleteFrom('registered_models').where('model_id', '=', id).execute();
    await appendEvent(trx, 'registered_model.deleted', name, null, { name }, actor);
  });
}

export async function setModelTag(db: Db, name: string, key: string, value: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    await trx
      .insertInto('registered_model_tags')
      .values({ model_id: id, key, value })
      .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet({ value }))
      .execute();
    await appendEvent(trx, 'registered_model_tag.set', name, null, { key, value }, actor);
  });
}

export async function deleteModelTag(db: Db, name: string, key: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    const r = await trx.deleteFrom('registered_model_tags').where('model_id', '=', id).where('key', '=', key).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) {
      throw notFound(`Registered model '${name}' has no tag '${key}'.`, { name, key });
    }
    await appendEvent(trx, 'registered_model_tag.deleted', name, null, { key }, actor);
  });
}
