import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilter } from './filter-parser.js';
import { compileFilter } from './filter-sql.js';
import type { SqlDialect } from './filter-sql.js';

// The filter compiler only needs the tables it reads; this mirrors their shape, not the full schema.
function schema(dialect: SqlDialect): string[] {
  const real = dialect === 'postgres' ? 'DOUBLE PRECISION' : 'REAL';
  return [
    `CREATE TABLE runs (run_uuid TEXT PRIMARY KEY, experiment_id INTEGER, name TEXT, user_id TEXT, status TEXT,
       start_time BIGINT, end_time BIGINT NULL, lifecycle_stage TEXT, artifact_uri TEXT, deleted_time BIGINT NULL)`,
    `CREATE TABLE params (run_uuid TEXT, key TEXT, value TEXT, PRIMARY KEY (run_uuid, key))`,
    `CREATE TABLE tags (run_uuid TEXT, key TEXT, value TEXT, PRIMARY KEY (run_uuid, key))`,
    `CREATE TABLE latest_metrics (series_id INTEGER PRIMARY KEY, run_uuid TEXT, key TEXT, value ${real},
       timestamp BIGINT, step BIGINT, is_nan INTEGER, UNIQUE (run_uuid, key))`,
    `CREATE TABLE datasets (dataset_uuid TEXT PRIMARY KEY, experiment_id INTEGER, name TEXT, digest TEXT,
       source_type TEXT, source TEXT, schema TEXT NULL, profile TEXT NULL)`,
    `CREATE TABLE run_inputs (run_uuid TEXT, dataset_uuid TEXT, context TEXT NULL, tags TEXT,
       PRIMARY KEY (run_uuid, dataset_uuid))`,
  ];
}

const run = (id: string, name: string, user: string, status: string, start: number, end: number | null, stage = 'active') => ({
  run_uuid: id,
  experiment_id: 1,
  name,
  user_id: user,
  status,
  start_time: start,
  end_time: end,
  lifecycle_stage: stage,
  artifact_uri: id === 'r3' ? 'file:///tmp/r3' : `s3://bucket/${id}`,
  deleted_time: null,
});

let series = 0;
const metric = (runId: string, key: string, value: number) => ({
  series_id: ++series,
  run_uuid: runId,
  key,
  // NaN is stored as a placeholder 0 flagged is_nan, as the tracking store writes it.
  value: Number.isNaN(value) ? 0 : value,
  timestamp: 1,
  step: 0,
  is_nan: Number.isNaN(value) ? 1 : 0,
});

const kv = (runId: string, key: string, value: string) => ({ run_uuid: runId, key, value });

/** Four runs chosen so each case below has matches and near-misses (case, NaN, NULL, missing key). */
async function seed(db: Kysely<any>): Promise<void> {
  await db.insertInto('runs').values([
    run('r1', 'alpha-run', 'alice', 'FINISHED', 1000, 2000),
    run('r2', 'beta-run', 'bob', 'RUNNING', 2000, null),
    run('r3', 'gamma', 'alice', 'FAILED', 3000, 3500),
    run('r4', "it's", 'carol', 'FINISHED', 4000, 4500, 'deleted'),
  ]).execute();
  await db.insertInto('latest_metrics').values([
    metric('r1', 'rmse', 0.5),
    metric('r1', 'acc', 0.9),
    metric('r1', 'my metric', 3),
    metric('r2', 'rmse', 0.8),
    metric('r2', 'loss', NaN),
    metric('r3', 'rmse', 1.2),
    metric('r3', 'acc', 0.7),
    metric('r3', 'loss', 0),
  ]).execute();
  await db.insertInto('params').values([
    kv('r1', 'lr', '0.01'),
    kv('r1', 'model', 'ResNet50'),
    kv('r2', 'lr', '0.1'),
    kv('r2', 'model', 'resnet18'),
    kv('r3', 'model', 'xgboost'),
  ]).execute();
  await db.insertInto('tags').values([
    kv('r1', 'mlflow.user', 'alice'),
    kv('r1', 'x y', 'spaced'),
    kv('r1', 'team', 'Vision'),
    kv('r1', 'note', '50% off'),
    kv('r2', 'team', 'vision'),
    kv('r2', 'note', '50 off'),
  ]).execute();
  const dataset = (id: string, name: string, digest: string) => ({
    dataset_uuid: id, experiment_id: 1, name, digest, source_type: 'local', source: '/data', schema: null, profile: null,
  });
  await db.insertInto('datasets').values([dataset('d1', 'train', 'abc123'), dataset('d2', 'eval', 'def456')]).execute();
  await db.insertInto('run_inputs').values([
    { run_uuid: 'r1', dataset_uuid: 'd1', context: 'training', tags: '[]' },
    { run_uuid: 'r2', dataset_uuid: 'd1', context: 'training', tags: '[]' },
    { run_uuid: 'r2', dataset_uuid: 'd2', context: 'evaluation', tags: '[]' },
  ]).execute();
}

const CASES: Array<[string, string[]]> = [
  // metrics: latest value; NaN never matches; a run without the key never matches, even !=
  ['metrics.rmse < 1', ['r1', 'r2']],
  ['metrics.rmse >= 0.8', ['r2', 'r3']],
  ['metrics.rmse = 0.5', ['r1']],
  ['metrics.rmse != 0.5', ['r2', 'r3']],
  ['metrics.rmse <= 1.2e0', ['r1', 'r2', 'r3']],
  ['metrics.loss = 0', ['r3']],
  ['metrics.loss != 1', ['r3']],
  ['metrics.loss > -1e9', ['r3']],
  ['metrics.`my metric` > 2', ['r1']],
  // params and tags
  [`params.lr = '0.01'`, ['r1']],
  [`params.lr != '0.01'`, ['r2']],
  [`params.model LIKE 'Res%'`, ['r1']],
  [`params.model LIKE 'res%'`, ['r2']],
  [`params.model ILIKE 'res%'`, ['r1', 'r2']],
  [`params.model ILIKE '%NET5_'`, ['r1']],
  [`params.model IN ('xgboost', 'resnet18')`, ['r2', 'r3']],
  [`params.model NOT IN ('xgboost')`, ['r1', 'r2']],
  [`params.model = 'x'' OR 1=1 --'`, []],
  [`tags."mlflow.user" = 'alice'`, ['r1']],
  ['tags.`x y` = "spaced"', ['r1']],
  [`tags.team = 'vision'`, ['r2']],
  [`tags.team ILIKE 'VISION'`, ['r1', 'r2']],
  [`tags.note LIKE '50% off'`, ['r1', 'r2']],
  [`tags.note LIKE '50\\% off'`, ['r1']],
  [`tags.note LIKE '50_ off'`, ['r1']],
  // attributes
  [`attributes.status = 'FINISHED'`, ['r1', 'r4']],
  [`attributes.run_name = 'it''s'`, ['r4']],
  [`attributes.run_name ILIKE '%RUN'`, ['r1', 'r2']],
  [`attributes.run_id IN ('r1', 'r3')`, ['r1', 'r3']],
  [`attributes.run_id NOT IN ('r1')`, ['r2', 'r3', 'r4']],
  [`attributes.user_id != 'alice'`, ['r2', 'r4']],
  [`attributes.artifact_uri LIKE 's3://%'`, ['r1', 'r2', 'r4']],
  [`attributes.lifecycle_stage = 'deleted'`, ['r4']],
  ['attributes.start_time >= 2000', ['r2', 'r3', 'r4']],
  ['attributes.created < 2000', ['r1']],
  ['attributes.start_time > 1500.5', ['r2', 'r3', 'r4']],
  ['attributes.end_time > 0', ['r1', 'r3', 'r4']],
  ['attributes.end_time != 2000', ['r3', 'r4']],
  // datasets: a run matches if any of its inputs does
  [`datasets.name = 'train'`, ['r1', 'r2']],
  [`datasets.name != 'train'`, ['r2']],
  [`datasets.digest = 'def456'`, ['r2']],
  [`datasets.context = 'evaluation'`, ['r2']],
  [`datasets.name IN ('eval', 'test')`, ['r2']],
  [`datasets.context ILIKE 'TRAIN%'`, ['r1', 'r2']],
  // connectives: AND binds tighter than OR
  [`metrics.rmse < 1 AND params.model LIKE 'Res%'`, ['r1']],
  [`metrics.acc > 0.8 OR attributes.status = 'RUNNING'`, ['r1', 'r2']],
  [`attributes.status = 'FAILED' OR metrics.rmse < 1 AND tags.team = 'vision'`, ['r2', 'r3']],
  [`(attributes.status = 'FAILED' OR metrics.rmse < 1) AND tags.team = 'vision'`, ['r2']],
  [`attributes.end_time > 0 OR attributes.user_id = 'bob'`, ['r1', 'r2', 'r3', 'r4']],
];

interface TestDb {
  db: Kysely<any>;
  dialect: SqlDialect;
  close(): Promise<void>;
}

function defineFilterSuite(name: string, open: () => Promise<TestDb>): void {
  describe(name, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await open();
      for (const statement of schema(t.dialect)) await sql.raw(statement).execute(t.db);
      await seed(t.db);
    });
    afterAll(async () => {
      await t?.close();
    });

    for (const [filter, expected] of CASES) {
      it(`${filter} selects [${expected.join(', ')}]`, async () => {
        const where = compileFilter(parseFilter(filter)!, t.dialect);
        const { rows } = await sql<{ run_uuid: string }>`select r.run_uuid from runs r where ${where}`.execute(t.db);
        expect(rows.map((row) => row.run_uuid).sort()).toEqual(expected);
      });
    }

    it('binds values as parameters rather than splicing them into the SQL', () => {
      const where = compileFilter(parseFilter(`params.model = 'x'' OR 1=1 --' AND metrics.rmse > 0.25`)!, t.dialect);
      const compiled = sql`select 1 from runs r where ${where}`.compile(t.db);
      expect(compiled.sql).not.toContain('OR 1=1');
      expect(compiled.sql).not.toContain('0.25');
      expect(compiled.parameters).toEqual(expect.arrayContaining(['model', "x' OR 1=1 --", 'rmse', 0.25]));
    });
  });
}

defineFilterSuite('compileFilter on SQLite', async () => {
  const database = new Database(':memory:');
  // The tracking store sets this on every connection; without it SQLite's LIKE ignores case.
  database.pragma('case_sensitive_like = ON');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
});

const postgresUrl = process.env.GYRE_TEST_DATABASE_URL;
if (postgresUrl) {
  defineFilterSuite('compileFilter on PostgreSQL', async () => {
    const schemaName = `filter_test_${randomBytes(6).toString('hex')}`;
    // search_path as a connection option applies to every pooled connection, not just the first.
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 2, options: `-c search_path=${schemaName}` });
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    await sql.raw(`CREATE SCHEMA ${schemaName}`).execute(db);
    return {
      db,
      dialect: 'postgres',
      close: async () => {
        await sql.raw(`DROP SCHEMA ${schemaName} CASCADE`).execute(db);
        await db.destroy();
      },
    };
  });
} else {
  describe.skip('compileFilter on PostgreSQL (needs GYRE_TEST_DATABASE_URL)', () => {
    it('is skipped without a database', () => {});
  });
}
