/** Aliases: moves with their history, protection, and approval requests. */
import type { Db } from './registry-rows.js';
import { lockModel, modelIdOf, toApproval, toMove, versionNotFound } from './registry-rows.js';
import { appendEvent } from './registry-events.js';
import type { AliasMoveInput } from '../../../registry/registry-store.js';
import type { Actor, AliasMove, AliasPolicy, AliasProtection, ApprovalRequest, ApprovalStatus } from '../../../registry/entities.js';
import { GyreError, invalidArgument, notFound } from '../../../core/errors.js';

/** Moves (or deletes) an alias inside an open transaction; the model is already locked. */
async function moveLocked(trx: Db, id: number, m: AliasMoveInput): Promise<AliasMove> {
  const now = Date.now();
  const current = await trx.selectFrom('model_aliases').select('version').where('model_id', '=', id).where('alias', '=', m.alias).executeTakeFirst();
  const from = current?.version ?? null;
  if (m.expectedFrom !== undefined && m.expectedFrom !== from) {
    throw new GyreError('CONFLICT', `Alias '${m.alias}' of '${m.name}' moved meanwhile (now ${from === null ? 'unset' : `version ${from}`}); look again and retry.`, {
      name: m.name,
      alias: m.alias,
      current: from,
    });
  }
  if (!m.allowProtected) {
    const guard = await trx.selectFrom('alias_protections').select('policy').where('model_id', '=', id).where('alias', '=', m.alias).executeTakeFirst();
    if (guard) {
      const how = guard.policy ? 'its policy gate (set the alias and the gate decides)' : "an approval by another user ('gyre models approvals request')";
      throw new GyreError('INVALID_STATE', `Alias '${m.alias}' of '${m.name}' is protected: moving it needs ${how}.`, { name: m.name, alias: m.alias, protected: true });
    }
  }
  if (m.version === null) {
    if (from === null) throw invalidArgument(`Registered model '${m.name}' has no alias '${m.alias}'.`, { name: m.name, alias: m.alias });
    await trx.deleteFrom('model_aliases').where('model_id', '=', id).where('alias', '=', m.alias).execute();
  } else {
    const exists = await trx.selectFrom('model_versions').select('version').where('model_id', '=', id).where('version', '=', m.version).executeTakeFirst();
    if (!exists) throw versionNotFound(m.name, m.version);
    await trx
      .insertInto('model_aliases')
      .values({ model_id: id, alias: m.alias, version: m.version })
      .onConflict((oc) => oc.columns(['model_id', 'alias']).doUpdateSet({ version: m.version! }))
      .execute();
  }
  const row = await trx
    .insertInto('alias_history')
    .values({
      model_id: id,
      alias: m.alias,
      from_version: from,
      to_version: m.version,
      user_name: m.actor.user,
      at: now,
      reason: m.actor.reason ?? null,
      via: m.via,
      approval_id: m.approvalId ?? null,
      evidence: m.evidence === undefined ? null : JSON.stringify(m.evidence),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const type = m.version === null ? 'model_alias.deleted' : 'model_alias.set';
  await appendEvent(trx, type, m.name, m.version, { alias: m.alias, fromVersion: from, toVersion: m.version, via: m.via, approvalId: m.approvalId ?? null, reason: m.actor.reason ?? null }, m.actor, now);
  return toMove(m.name, row);
}

export async function moveAlias(db: Db, m: AliasMoveInput): Promise<AliasMove> {
  return db.transaction().execute(async (trx) => moveLocked(trx, await lockModel(trx, m.name), m));
}

export async function getAliasVersion(db: Db, name: string, alias: string): Promise<number> {
  const id = await modelIdOf(db, name);
  const row = await db.selectFrom('model_aliases').select('version').where('model_id', '=', id).where('alias', '=', alias).executeTakeFirst();
  // MLflow answers an unknown alias with INVALID_PARAMETER_VALUE, not RESOURCE_DOES_NOT_EXIST.
  if (!row) throw invalidArgument(`Registered model alias ${alias} not found.`, { name, alias });
  return row.version;
}

export async function aliasHistory(db: Db, name: string, alias?: string): Promise<AliasMove[]> {
  const id = await modelIdOf(db, name);
  let q = db.selectFrom('alias_history').selectAll().where('model_id', '=', id);
  if (alias !== undefined) q = q.where('alias', '=', alias);
  return (await q.orderBy('move_id').execute()).map((r) => toMove(name, r));
}

const toProtection = (r: { alias: string; policy: string | null; created_by: string; created_at: number }): AliasProtection => ({
  alias: r.alias,
  policy: r.policy === null ? null : (JSON.parse(r.policy) as AliasPolicy),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export async function protectAlias(db: Db, name: string, alias: string, policy: AliasPolicy | null, actor: Actor): Promise<AliasProtection> {
  return db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    const now = Date.now();
    const row = { model_id: id, alias, policy: policy === null ? null : JSON.stringify(policy), created_by: actor.user, created_at: now };
    await trx
      .insertInto('alias_protections')
      .values(row)
      .onConflict((oc) => oc.columns(['model_id', 'alias']).doUpdateSet({ policy: row.policy, created_by: row.created_by, created_at: now }))
      .execute();
    await appendEvent(trx, 'model_alias.protected', name, null, { alias, policy }, actor, now);
    return toProtection(row);
  });
}

export async function unprotectAlias(db: Db, name: string, alias: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    const r = await trx.deleteFrom('alias_protections').where('model_id', '=', id).where('alias', '=', alias).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(`Alias '${alias}' of '${name}' is not protected.`, { name, alias });
    await appendEvent(trx, 'model_alias.unprotected', name, null, { alias }, actor);
  });
}

export async function listProtections(db: Db, name: string, alias?: string): Promise<AliasProtection[]> {
  const id = await modelIdOf(db, name);
  let q = db.selectFrom('alias_protections').selectAll().where('model_id', '=', id);
  if (alias !== undefined) q = q.where('alias', '=', alias);
  return (await q.orderBy('alias').execute()).map(toProtection);
}

export async function createApproval(db: Db, name: string, alias: string, version: number, actor: Actor): Promise<ApprovalRequest> {
  return db.transaction().execute(async (trx) => {
    const id = await lockModel(trx, name);
    const exists = await trx.selectFrom('model_versions').select('version').where('model_id', '=', id).where('version', '=', version).executeTakeFirst();
    if (!exists) throw versionNotFound(name, version);
    const now = Date.now();
    const row = await trx
      .insertInto('approval_requests')
      .values({ model_id: id, alias, version, requested_by: actor.user, reason: actor.reason ?? null, status: 'PENDING', decided_by: null, decision_reason: null, created_at: now, decided_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, 'approval.requested', name, version, { approvalId: row.approval_id, alias, version, reason: actor.reason ?? null }, actor, now);
    return toApproval(name, row);
  });
}

async function approvalRow(db: Db, approvalId: number) {
  const row = await db
    .selectFrom('approval_requests as a')
    .innerJoin('registered_models as m', 'm.model_id', 'a.model_id')
    .selectAll('a')
    .select('m.name')
    .where('a.approval_id', '=', approvalId)
    .executeTakeFirst();
  if (!row) throw notFound(`Approval request ${approvalId} does not exist.`, { approvalId });
  return row;
}

export async function getApproval(db: Db, approvalId: number): Promise<ApprovalRequest> {
  const row = await approvalRow(db, approvalId);
  return toApproval(row.name, row);
}

export async function listApprovals(db: Db, filter: { name?: string; status?: ApprovalStatus }): Promise<ApprovalRequest[]> {
  let q = db.selectFrom('approval_requests as a').innerJoin('registered_models as m', 'm.model_id', 'a.model_id').selectAll('a').select('m.name');
  if (filter.name !== undefined) q = q.where('m.name', '=', filter.name);
  if (filter.status !== undefined) q = q.where('a.status', '=', filter.status);
  return (await q.orderBy('a.approval_id').execute()).map((r) => toApproval(r.name, r));
}

export async function decideApproval(db: Db, approvalId: number, decision: 'APPROVED' | 'REJECTED', actor: Actor): Promise<ApprovalRequest> {
  return db.transaction().execute(async (trx) => {
    const before = await approvalRow(trx, approvalId);
    const id = await lockModel(trx, before.name);
    const now = Date.now();
    // The status test makes the decision a compare-and-set: of two deciders, one wins.
    const r = await trx
      .updateTable('approval_requests')
      .set({ status: decision, decided_by: actor.user, decision_reason: actor.reason ?? null, decided_at: now })
      .where('approval_id', '=', approvalId)
      .where('status', '=', 'PENDING')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      throw new GyreError('INVALID_STATE', `Approval request ${approvalId} was already ${before.status.toLowerCase()} by ${before.decided_by ?? 'someone'}.`, { approvalId, status: before.status });
    }
    await appendEvent(trx, 'approval.decided', before.name, before.version, { approvalId, alias: before.alias, version: before.version, decision, reason: actor.reason ?? null }, actor, now);
    if (decision === 'APPROVED') {
      await moveLocked(trx, id, { name: before.name, alias: before.alias, version: before.version, actor, via: 'approval', approvalId, allowProtected: true });
    }
    return toApproval(before.name, (await approvalRow(trx, approvalId)) as never);
  });
}
