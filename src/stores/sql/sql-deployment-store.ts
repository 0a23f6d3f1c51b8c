/** DeploymentStore over Kysely, shared by SQLite and PostgreSQL. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { DeploymentStore } from '../../serving/deployments/deployment-store.js';
import type { Deployment, DeploymentChange, DeploymentSpec } from '../../serving/deployments/entities.js';
import { alreadyExists, GyreError, notFound } from '../../core/errors.js';
import { isUniqueViolation } from './sql-errors.js';

type Change = Omit<DeploymentChange, 'deployment' | 'before' | 'after'>;
const json = (s: DeploymentSpec | null): string | null => (s === null ? null : JSON.stringify(s));

export class SqlDeploymentStore implements DeploymentStore {
  constructor(private readonly db: Kysely<Database>) {}

  private async record(trx: Transaction<Database>, name: string, c: Change, before: DeploymentSpec | null, after: DeploymentSpec | null): Promise<void> {
    await trx
      .insertInto('deployment_changes')
      .values({ deployment: name, at: c.at, user_name: c.user, action: c.action, reason: c.reason, before_spec: json(before), after_spec: json(after) })
      .execute();
  }

  async create(name: string, spec: DeploymentSpec, c: Change): Promise<Deployment> {
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('deployments').values({ name, spec: JSON.stringify(spec), created_at: c.at, updated_at: c.at }).execute();
        await this.record(trx, name, c, null, spec);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyExists(`Deployment '${name}' already exists. Update it, or choose another name.`, { name });
      throw err;
    }
    return this.get(name);
  }

  async get(name: string): Promise<Deployment> {
    const row = await this.db.selectFrom('deployments').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound(`Deployment '${name}' does not exist. List them with 'gyre deploy list'.`, { name });
    return { name: row.name, spec: JSON.parse(row.spec) as DeploymentSpec, createdAt: row.created_at, updatedAt: row.updated_at };
  }

  async list(): Promise<Deployment[]> {
    const rows = await this.db.selectFrom('deployments').selectAll().orderBy('name').execute();
    return rows.map((row) => ({ name: row.name, spec: JSON.parse(row.spec) as DeploymentSpec, createdAt: row.created_at, updatedAt: row.updated_at }));
  }

  async update(name: string, expected: DeploymentSpec, next: DeploymentSpec, c: Change): Promise<Deployment> {
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('deployments')
        .set({ spec: JSON.stringify(next), updated_at: c.at })
        .where('name', '=', name)
        .where('spec', '=', JSON.stringify(expected))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        // Inside the transaction: SQLite has one connection, and it is this transaction's.
        const exists = await trx.selectFrom('deployments').select('name').where('name', '=', name).executeTakeFirst();
        if (!exists) throw notFound(`Deployment '${name}' does not exist.`, { name });
        throw new GyreError('CONFLICT', `Deployment '${name}' was changed by someone else meanwhile; read it again and retry.`, { name });
      }
      await this.record(trx, name, c, expected, next);
    });
    return this.get(name);
  }

  async delete(name: string, c: Change): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('deployments').select('spec').where('name', '=', name).executeTakeFirst();
      if (!row) throw notFound(`Deployment '${name}' does not exist.`, { name });
      await trx.deleteFrom('deployments').where('name', '=', name).execute();
      await this.record(trx, name, c, JSON.parse(row.spec) as DeploymentSpec, null);
    });
  }

  async history(name: string, limit: number): Promise<DeploymentChange[]> {
    const rows = await this.db.selectFrom('deployment_changes').selectAll().where('deployment', '=', name).orderBy('change_id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      deployment: r.deployment,
      at: r.at,
      user: r.user_name,
      action: r.action,
      reason: r.reason,
      before: r.before_spec === null ? null : (JSON.parse(r.before_spec) as DeploymentSpec),
      after: r.after_spec === null ? null : (JSON.parse(r.after_spec) as DeploymentSpec),
    }));
  }
}
