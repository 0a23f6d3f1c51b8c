/** Model version writes: create (dense numbering), describe, delete, tags, stage transitions. */
import type { Db } from './registry-rows.js';
import { loadVersions, lockModel, versionNotFound } from './registry-rows.js';
import { appendEvent } from './registry-events.js';
import type { Actor, CreateVersionInput, ModelVersion, Stage } from '../../../registry/entities.js';
import { notFound } from '../../../core/errors.js';

export async function getVersion(db: Db, modelId: number, name: string, version: number): Promise<ModelVersion> {
  const [v] = await loadVersions(db, modelId, version);
  if (!v) throw versionNotFound(name, version);
  return v;
}

async function requireVersion(trx: Db, modelId: number, name: string, version: number): Promise<void> {
  const row = await trx.selectFrom('model_versions').select('version').where('model_id', '=', modelId).where('version', '=', version).executeTakeFirst();
  if (!row) throw versionNotFound(name, version);
}

export async function createVersion(db: Db, input: CreateVersionInput, actor: Actor): Promise<ModelVersion> {
  const now = Date.now();
  const { id, version } = await db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, input.name, now);
    // The counter is bumped under the model's lock, so concurrent creators get 1, 2, 3, ... in commit order.
    const { next_version } = await trx
      .updateTable('registered_models')
      .set((eb) => ({ next_version: eb('next_version', '+', 1) }))
      .where('model_id', '=', id)
      .returning('next_version')
      .executeTakeFirstOrThrow();
    const version = next_version - 1;
    await trx
      .insertInto('model_versions')
      .values({
        model_id: id,
        version,
        description: input.description ?? '',
        creation_time: now,
        last_updated_time: now,
        user_id: input.userId ?? actor.user,
        stage: 'None',
        source: input.source,
        run_id: input.runId ?? null,
        run_link: input.runLink ?? null,
        status: 'READY',
        status_message: null,
        package_digest: input.packageDigest ?? null,
      })
      .execute();
    if (input.tags?.length) await trx.insertInto('model_version_tags').values(input.tags.map((t) => ({ model_id: id, version, key: t.key, value: t.value }))).execute();
    await appendEvent(trx, 'model_version.created', input.name, version, { name: input.name, version, source: input.source, runId: input.runId ?? null, packageDigest: input.packageDigest ?? null }, actor, now);
    return { id, version };
  });
  return getVersion(db, id, input.name, version);
}

export async function updateVersion(db: Db, name: string, version: number, description: string, actor: Actor): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    await requireVersion(trx, id, name, version);
    await trx.updateTable('model_versions').set({ description, last_updated_time: Date.now() }).where('model_id', '=', id).where('version', '=', version).execute();
    await appendEvent(trx, 'model_version.updated', name, version, { description }, actor);
    return id;
  });
}

export async function deleteVersion(db: Db, name: string, version: number, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    await requireVersion(trx, id, name, version);
    const now = Date.now();
    // Its aliases go with it (MLflow's rule); each removal is in the alias history like any move.
    const aliases = await trx.selectFrom('model_aliases').select('alias').where('model_id', '=', id).where('version', '=', version).execute();
    for (const { alias } of aliases) {
      await trx.insertInto('alias_history').values({ model_id: id, alias, from_version: version, to_version: null, user_name: actor.user, at: now, reason: `version ${version} deleted`, via: 'direct', approval_id: null, evidence: null }).execute();
      await appendEvent(trx, 'model_alias.deleted', name, version, { alias, fromVersion: version }, actor, now);
    }
    await trx.deleteFrom('model_aliases').where('model_id', '=', id).where('version', '=', version).execute();
    await trx.deleteFrom('model_version_tags').where('model_id', '=', id).where('version', '=', version).execute();
    await trx.deleteFrom('model_versions').where('model_id', '=', id).where('version', '=', version).execute();
    await appendEvent(trx, 'model_version.deleted', name, version, { name, version }, actor, now);
  });
}

export async function setVersionTag(db: Db, name: string, version: number, key: string, value: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    await requireVersion(trx, id, name, version);
    await trx
      .insertInto('model_version_tags')
      .values({ model_id: id, version, key, value })
      .onConflict((oc) => oc.columns(['model_id', 'version', 'key']).doUpdateSet({ value }))
      .execute();
    await appendEvent(trx, 'model_version_tag.set', name, version, { key, value }, actor);
  });
}

export async function deleteVersionTag(db: Db, name: string, version: number, key: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    await requireVersion(trx, id, name, version);
    const r = await trx.deleteFrom('model_version_tags').where('model_id', '=', id).where('version', '=', version).where('key', '=', key).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(`Model version '${name}' version ${version} has no tag '${key}'.`, { name, version, key });
    await appendEvent(trx, 'model_version_tag.deleted', name, version, { key }, actor);
  });
}

export async function transitionStage(db: Db, name: string, version: number, stage: Stage, archiveExisting: boolean, actor: Actor): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    await requireVersion(trx, id, name, version);
    const now = Date.now();
    if (archiveExisting && (stage === 'Staging' || stage === 'Production')) {
      await trx
        .updateTable('model_versions')
        .set({ stage: 'Archived', last_updated_time: now })
        .where('model_id', '=', id)
        .where('stage', '=', stage)
        .where('version', '!=', version)
        .execute();
    }
    await trx.updateTable('model_versions').set({ stage, last_updated_time: now }).where('model_id', '=', id).where('version', '=', version).execute();
    await appendEvent(trx, 'model_version.stage_transitioned', name, version, { stage, archiveExistingVersions: archiveExisting }, actor, now);
    return id;
  });
}
