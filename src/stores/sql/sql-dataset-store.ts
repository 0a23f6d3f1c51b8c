/**
 * DatasetStore over the shared Kysely database (SQLite and PostgreSQL alike). Version numbers are
 * max+1 inside a transaction; the unique keys decide races: a lost race on (name, digest) means
 * the same content won, so it is returned; a lost race on (name, version) means other content took
 * the number, so the insert is retried with the next one.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.js';
import type { DataVersionsTable } from '../data-tables.js';
import type { AddVersionResult, DatasetStore } from '../../data/dataset-store.js';
import type { DatasetSummary, DatasetVersion, NewDatasetVersion } from '../../data/entities.js';
import { GyreError, notFound } from '../../core/errors.js';
import { isUniqueViolation } from './sql-errors.js';

const MAX_ATTEMPTS = 8;

function toVersion(row: Selectable<DataVersionsTable>): DatasetVersion {
  return {
    name: row.name,
    version: Number(row.version),
    digest: row.digest,
    source: row.source,
    readOptions: JSON.parse(row.read_options) as DatasetVersion['readOptions'],
    files: JSON.parse(row.files) as DatasetVersion['files'],
    rowCount: Number(row.row_count),
    schema: JSON.parse(row.schema) as DatasetVersion['schema'],
    profile: JSON.parse(row.profile) as DatasetVersion['profile'],
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    tags: JSON.parse(row.tags) as Record<string, string>,
  };
}

export class SqlDatasetStore implements DatasetStore {
  constructor(private readonly db: Kysely<Database>) {}

  async addVersion(input: NewDatasetVersion): Promise<AddVersionResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.byDigest(input.name, input.digest);
      if (existing) return { version: existing, created: false };
      try {
        const version = await this.db.transaction().execute(async (trx) => {
          await trx.insertInto('data_datasets').values({ name: input.name, created_at: input.createdAt }).onConflict((oc) => oc.column('name').doNothing()).execute();
          const top = await trx.selectFrom('data_versions').select((eb) => eb.fn.max('version').as('v')).where('name', '=', input.name).executeTakeFirst();
          const next = Number(top?.v ?? 0) + 1;
          await trx
            .insertInto('data_versions')
            .values({
              name: input.name,
              version: next,
              digest: input.digest,
              source: input.source,
              read_options: JSON.stringify(input.readOptions),
              files: JSON.stringify(input.files),
              row_count: input.rowCount,
              schema: JSON.stringify(input.schema),
              profile: JSON.stringify(input.profile),
              created_by: input.createdBy,
              created_at: input.createdAt,
              tags: JSON.stringify(input.tags),
            })
            .execute();
          return next;
        });
        return { version: { ...input, version }, created: true };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // Lost a race: loop re-reads by digest (same content won) or takes the next number.
      }
    }
    throw new GyreError('UNAVAILABLE', `Could not number a new version of dataset '${input.name}' after ${MAX_ATTEMPTS} attempts: too many concurrent adds. Retry.`, { name: input.name });
  }

  private async byDigest(name: string, digest: string): Promise<DatasetVersion | null> {
    const row = await this.db.selectFrom('data_versions').selectAll().where('name', '=', name).where('digest', '=', digest).executeTakeFirst();
    return row ? toVersion(row) : null;
  }

  private async requireDataset(name: string): Promise<void> {
    const row = await this.db.selectFrom('data_datasets').select('name').where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound(`No dataset named '${name}'. Add one with: gyre data add <file> --name ${name}`, { name });
  }

  async getVersion(name: string, version: number): Promise<DatasetVersion> {
    const row = await this.db.selectFrom('data_versions').selectAll().where('name', '=', name).where('version', '=', version).executeTakeFirst();
    if (row) return toVersion(row);
    await this.requireDataset(name);
    throw notFound(`Dataset '${name}' has no version ${version}.`, { name, version });
  }

  async getLatestVersion(name: string): Promise<DatasetVersion> {
    const row = await this.db.selectFrom('data_versions').selectAll().where('name', '=', name).orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (row) return toVersion(row);
    await this.requireDataset(name);
    throw notFound(`Dataset '${name}' has no versions.`, { name });
  }

  async findByDigestPrefix(name: string, hexPrefix: string): Promise<DatasetVersion[]> {
    if (!/^[0-9a-f]*$/.test(hexPrefix)) return [];
    const rows = await this.db
      .selectFrom('data_versions')
      .selectAll()
      .where('name', '=', name)
      .where('digest', 'like', `sha256:${hexPrefix}%`)
      .orderBy('version')
      .execute();
    return rows.map(toVersion);
  }

  async listVersions(name: string): Promise<DatasetVersion[]> {
    await this.requireDataset(name);
    const rows = await this.db.selectFrom('data_versions').selectAll().where('name', '=', name).orderBy('version', 'desc').execute();
    return rows.map(toVersion);
  }

  async listDatasets(): Promise<DatasetSummary[]> {
    const datasets = await this.db.selectFrom('data_datasets').selectAll().orderBy('name').execute();
    const latest = await this.db
      .selectFrom('data_versions as v')
      .select(['v.name', 'v.version', 'v.digest', 'v.created_at', 'v.row_count'])
      .where(({ eb, selectFrom }) =>
        eb('v.version', '=', selectFrom('data_versions as w').select((e) => e.fn.max('w.version').as('m')).whereRef('w.name', '=', 'v.name')),
      )
      .execute();
    const byName = new Map(latest.map((r) => [r.name, r]));
    return datasets.map((d) => {
      const l = byName.get(d.name);
      return {
        name: d.name,
        createdAt: Number(d.created_at),
        versionCount: l ? Number(l.version) : 0,
        latest: l ? { version: Number(l.version), digest: l.digest, createdAt: Number(l.created_at), rowCount: Number(l.row_count) } : null,
      };
    });
  }
}
