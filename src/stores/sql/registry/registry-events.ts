/** The outbox: one row per registry mutation, written in the mutation's own transaction. */
import type { Db } from './registry-rows.js';
import type { Actor, RegistryEvent } from '../../../registry/entities.js';

export async function appendEvent(trx: Db, type: string, modelName: string | null, version: number | null, payload: unknown, actor: Actor, now = Date.now()): Promise<void> {
  await trx
    .insertInto('registry_events')
    .values({ type, model_name: modelName, version, payload: JSON.stringify(payload ?? {}), user_name: actor.user, created_at: now })
    .execute();
}

export async function listEvents(db: Db, afterId: number, limit: number): Promise<RegistryEvent[]> {
  const rows = await db.selectFrom('registry_events').selectAll().where('event_id', '>', afterId).orderBy('event_id').limit(limit).execute();
  return rows.map((r) => ({
    id: r.event_id,
    type: r.type,
    modelName: r.model_name,
    version: r.version,
    payload: JSON.parse(r.payload),
    user: r.user_name,
    createdAt: r.created_at,
  }));
}
