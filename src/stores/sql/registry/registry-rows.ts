/** Reading registry rows into entities, and the per-model lock every write takes first. */
import type { Kysely } from 'kysely';
import type { Database } from '../../schema.js';
import type { AliasMove, ApprovalRequest, ApprovalStatus, ModelVersion, RegisteredModel, Stage, VersionStatus } from '../../../registry/entities.js';
import type { AliasHistoryTable, ApprovalRequestsTable, ModelVersionsTable } from '../../registry-tables.js';
import type { Selectable } from 'kysely';
import { notFound } from '../../../core/errors.js';

export type Db = Kysely<Database>;

export const modelNotFound = (name: string) => notFound(`Registered model '${name}' does not exist. List models with 'gyre models list'.`, { name });
export const versionNotFound = (name: string, version: number) =>
  notFound(`Model version '${name}' version ${version} does not exist.`, { name, version });

/**
 * Locks the model's row for the rest of the transaction (a row lock on PostgreSQL; SQLite's
 * IMMEDIATE transaction already holds the database) and returns its id. Every registry write takes
 * it first, so version numbers and alias moves of one model are serialised and never interleave.
 */
export async function lockModel(trx: Db, name: string, now = Date.now()): Promise<number> {
  const row = await trx.updateTable('registered_models').set({ last_updated_time: now }).where('name', '=', name).returning('model_id').executeTakeFirst();
  if (!row) throw modelNotFound(name);
  return row.model_id;
}

export async function modelIdOf(db: Db, name: string): Promise<number> {
  const row = await db.selectFrom('registered_models').select('model_id').where('name', '=', name).executeTakeFirst();
  if (!row) throw modelNotFound(name);
  return row.model_id;
}

function toVersion(name: string, r: Selectable<ModelVersionsTable>, tags: Map<string, { key: string; value: string }[]>, aliases: Map<string, string[]>): ModelVersion {
  const k = `${r.model_id}:${r.version}`;
  return {
    name,
    version: r.version,
    description: r.description,
    creationTimestamp: r.creation_time,
    lastUpdatedTimestamp: r.last_updated_time,
    userId: r.user_id,
    stage: r.stage as Stage,
    source: r.source,
    runId: r.run_id,
    runLink: r.run_link,
    status: r.status as VersionStatus,
    statusMessage: r.status_message,
    tags: tags.get(k) ?? [],
    aliases: (aliases.get(k) ?? []).sort(),
    packageDigest: r.package_digest,
  };
}

/** Versions with their tags and aliases; of one model, or of all when `modelId` is undefined. */
export async function loadVersions(db: Db, modelId?: number, version?: number): Promise<ModelVersion[]> {
  let q = db.selectFrom('model_versions as v').innerJoin('registered_models as m', 'm.model_id', 'v.model_id').selectAll('v').select('m.name');
  let tq = db.selectFrom('model_version_tags').selectAll();
  let aq = db.selectFrom('model_aliases').selectAll();
  if (modelId !== undefined) {
    q = q.where('v.model_id', '=', modelId);
    tq = tq.where('model_id', '=', modelId);
    aq = aq.where('model_id', '=', modelId);
  }
  if (version !== undefined) {
    q = q.where('v.version', '=', version);
    tq = tq.where('version', '=', version);
    aq = aq.where('version', '=', version);
  }
  const [rows, tagRows, aliasRows] = [await q.orderBy('v.model_id').orderBy('v.version').execute(), await tq.orderBy('key').execute(), await aq.execute()];
  const tags = new Map<string, { key: string; value: string }[]>();
  for (const t of tagRows) {
    const k = `${t.model_id}:${t.version}`;
    if (!tags.has(k)) tags.set(k, []);
    tags.get(k)!.push({ key: t.key, value: t.value });
  }
  const aliases = new Map<string, string[]>();
  for (const a of aliasRows) {
    const k = `${a.model_id}:${a.version}`;
    if (!aliases.has(k)) aliases.set(k, []);
    aliases.get(k)!.push(a.alias);
  }
  return rows.map((r) => toVersion(r.name, r, tags, aliases));
}

/** The newest version per stage, MLflow's `latest_versions`. */
export function latestPerStage(versions: ModelVersion[]): ModelVersion[] {
  const best = new Map<string, ModelVersion>();
  for (const v of versions) {
    const cur = best.get(v.stage);
    if (!cur || v.version > cur.version) best.set(v.stage, v);
  }
  return [...best.values()].sort((a, b) => a.version - b.version);
}

/** Models (one by name, or all) with tags, aliases and latest versions. */
export async function loadModels(db: Db, name?: string): Promise<RegisteredModel[]> {
  let q = db.selectFrom('registered_models').selectAll();
  if (name !== undefined) q = q.where('name', '=', name);
  const rows = await q.orderBy('name').execute();
  if (rows.length === 0) {
    if (name !== undefined) throw modelNotFound(name);
    return [];
  }
  const one = name !== undefined ? rows[0]!.model_id : undefined;
  let tq = db.selectFrom('registered_model_tags').selectAll();
  let aq = db.selectFrom('model_aliases').selectAll();
  if (one !== undefined) {
    tq = tq.where('model_id', '=', one);
    aq = aq.where('model_id', '=', one);
  }
  const [tagRows, aliasRows, versions] = [await tq.orderBy('key').execute(), await aq.orderBy('alias').execute(), await loadVersions(db, one)];
  const byModel = new Map<string, ModelVersion[]>();
  for (const v of versions) {
    if (!byModel.has(v.name)) byModel.set(v.name, []);
    byModel.get(v.name)!.push(v);
  }
  return rows.map((r) => ({
    name: r.name,
    description: r.description,
    creationTimestamp: r.creation_time,
    lastUpdatedTimestamp: r.last_updated_time,
    tags: tagRows.filter((t) => t.model_id === r.model_id).map((t) => ({ key: t.key, value: t.value })),
    aliases: aliasRows.filter((a) => a.model_id === r.model_id).map((a) => ({ alias: a.alias, version: a.version })),
    latestVersions: latestPerStage(byModel.get(r.name) ?? []),
  }));
}

export function toApproval(name: string, r: Selectable<ApprovalRequestsTable>): ApprovalRequest {
  return {
    id: r.approval_id,
    name,
    alias: r.alias,
    version: r.version,
    requestedBy: r.requested_by,
    reason: r.reason,
    status: r.status as ApprovalStatus,
    decidedBy: r.decided_by,
    decisionReason: r.decision_reason,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  };
}

export function toMove(name: string, r: Selectable<AliasHistoryTable>): AliasMove {
  return {
    id: r.move_id,
    name,
    alias: r.alias,
    fromVersion: r.from_version,
    toVersion: r.to_version,
    user: r.user_name,
    at: r.at,
    reason: r.reason,
    via: r.via as AliasMove['via'],
    approvalId: r.approval_id,
    evidence: r.evidence === null ? null : JSON.parse(r.evidence),
  };
}
