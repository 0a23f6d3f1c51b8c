/** RetrainingStore over Kysely, shared by SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.js';
import type { RetrainingEventsTable } from '../retraining-tables.js';
import type { RetrainingStore } from '../../continuous-training/retraining-store.js';
import type { NewRetrainingEvent, RetrainingEvent, RetrainingOutcome, RetrainingPolicy } from '../../continuous-training/entities.js';
import { notFound } from '../../core/errors.js';

const toEvent = (r: Selectable<RetrainingEventsTable>): RetrainingEvent => ({
  id: Number(r.event_id),
  deployment: r.deployment,
  at: Number(r.at),
  trigger: r.trigger_name,
  outcome: r.outcome as RetrainingOutcome,
  reason: r.reason,
  runId: r.run_id,
  version: r.version === null ? null : Number(r.version),
  championVersion: r.champion_version === null ? null : Number(r.champion_version),
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

export class SqlRetrainingStore implements RetrainingStore {
  constructor(private readonly db: Kysely<Database>) {}

  async putPolicy(policy: RetrainingPolicy, at: number): Promise<void> {
    const row = { deployment: policy.deployment, policy: JSON.stringify(policy), updated_at: at };
    await this.db
      .insertInto('retraining_policies')
      .values(row)
      .onConflict((oc) => oc.column('deployment').doUpdateSet({ policy: row.policy, updated_at: at }))
      .execute();
  }

  async getPolicy(deployment: string): Promise<RetrainingPolicy> {
    const row = await this.db.selectFrom('retraining_policies').select('policy').where('deployment', '=', deployment).executeTakeFirst();
    if (!row) throw notFound(`Deployment '${deployment}' has no retraining policy. Set one with 'gyre retraining set ${deployment} --file policy.yaml'.`, { deployment });
    return JSON.parse(row.policy) as RetrainingPolicy;
  }

  async listPolicies(): Promise<{ policy: RetrainingPolicy; updatedAt: number }[]> {
    const rows = await this.db.selectFrom('retraining_policies').select(['policy', 'updated_at']).orderBy('deployment').execute();
    return rows.map((r) => ({ policy: JSON.parse(r.policy) as RetrainingPolicy, updatedAt: Number(r.updated_at) }));
  }

  async deletePolicy(deployment: string): Promise<void> {
    const r = await this.db.deleteFrom('retraining_policies').where('deployment', '=', deployment).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(`Deployment '${deployment}' has no retraining policy.`, { deployment });
  }

  async appendEvent(e: NewRetrainingEvent): Promise<RetrainingEvent> {
    const row = await this.db
      .insertInto('retraining_events')
      .values({ deployment: e.deployment, at: e.at, trigger_name: e.trigger, outcome: e.outcome, reason: e.reason, run_id: e.runId, version: e.version, champion_version: e.championVersion, detail: JSON.stringify(e.detail) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEvent(row);
  }

  async events(deployment: string, limit: number): Promise<RetrainingEvent[]> {
    const rows = await this.db.selectFrom('retraining_events').selectAll().where('deployment', '=', deployment).orderBy('at', 'desc').orderBy('event_id', 'desc').limit(limit).execute();
    return rows.map(toEvent);
  }

  async retrainingsSince(deployment: string, from: number): Promise<RetrainingEvent[]> {
    const rows = await this.db
      .selectFrom('retraining_events')
      .selectAll()
      .where('deployment', '=', deployment)
      .where('at', '>=', from)
      .where('outcome', '!=', 'skipped')
      .orderBy('at', 'asc')
      .orderBy('event_id', 'asc')
      .execute();
    return rows.map(toEvent);
  }
}
