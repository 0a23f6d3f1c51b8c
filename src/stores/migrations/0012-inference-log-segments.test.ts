/**
 * Migration 0012 on every SQL backend: records logged one row each before it are read back after
 * it, every field intact and in their order, labels still joined.
 */
import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS } from './migrations.js';
import { quoteIdent } from './apply-migrations.js';
import { openSqlDatabase } from '../sql-database.js';
import { SqlInferenceLogStore } from '../sql/sql-inference-log-store.js';
import { testBackends } from '../../test-support/test-databases.js';

const BEFORE = MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.id === '0012_inference_log_segments'));
const LEDGER = 'CREATE TABLE gyre_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)';
// Two deployments, a shadow record, inputs of each kind, a record whose time is out of order.
const OLD_ROWS: unknown[][] = [
  ['d', 'r1', 1000, 'm', '1', 'primary', '{"x":[1,2]}', 'values', '{"y":[3]}', 0.5],
  ['d', 'r2', 3000, 'm', '1', 'primary', '{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[5,6]}]}', 'oip', '{"y":[7]}', 0.25],
  ['e', 'r3', 2000, 'm', '2', 'primary', '{"records":[{"a":"ü😀"}]}', 'records', '{"y":[8]}', 1],
  ['d', 'r4', 2000, 'm', '2', 'shadow', '{"x":[0,0]}', 'values', '{"y":[9]}', 2],
];
const INSERT = (p: (i: number) => string) => `INSERT INTO inference_log (deployment, request_id, ts, model_name, model_version, variant, inputs, inputs_kind, outputs, latency_ms) VALUES (${Array.from({ length: 10 }, (_, i) => p(i)).join(', ')})`;

async function prepareOldDatabase(backend: string, url: string): Promise<void> {
  if (backend === 'sqlite') {
    const db = new BetterSqlite3(url.slice('sqlite:'.length));
    db.exec(LEDGER);
    for (const m of BEFORE) db.exec(m.sqlite), db.prepare('INSERT INTO gyre_migrations VALUES (?, 0)').run(m.id);
    for (const row of OLD_ROWS) db.prepare(INSERT(() => '?')).run(row);
    db.prepare("INSERT INTO inference_labels VALUES ('d', 'r2', '42', 5000)").run();
    db.close();
    return;
  }
  const schema = new URL(url).searchParams.get('schema')!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${quoteIdent(schema)}; SET search_path TO ${quoteIdent(schema)}`);
    await client.query(LEDGER);
    for (const m of BEFORE) await client.query(m.postgres), await client.query('INSERT INTO gyre_migrations VALUES ($1, 0)', [m.id]);
    for (const row of OLD_ROWS) await client.query(INSERT((i) => `$${i + 1}`), row);
    await client.query("INSERT INTO inference_labels VALUES ('d', 'r2', '42', 5000)");
  } finally {
    await client.end();
  }
}

for (const backend of testBackends) {
  describe.skipIf(!backend.available)(`migration 0012, inference log segments: ${backend.name}`, () => {
    it('moves every logged record into segments, read back as before', async () => {
      const database = backend.make();
      try {
        await prepareOldDatabase(backend.name, database.url);
        const sql = await openSqlDatabase(database.url, '/nonexistent');
        try {
          const store = new SqlInferenceLogStore(sql.db, sql.dialect);
          const d = await store.readWindow({ deployment: 'd', from: 0, to: 10_000 });
          expect(d.map((r) => [r.requestId, r.timestamp, r.modelVersion, r.variant, r.inputs, r.outputs, r.latencyMs, r.label])).toEqual([
            ['r1', 1000, '1', 'primary', { x: [1, 2] }, { y: [3] }, 0.5, null],
            ['r4', 2000, '2', 'shadow', { x: [0, 0] }, { y: [9] }, 2, null],
            ['r2', 3000, '1', 'primary', { x: [5, 6] }, { y: [7] }, 0.25, 42],
          ]);
          expect((await store.readWindow({ deployment: 'e', from: 0, to: 10_000 }))[0]!.inputs).toEqual([{ a: 'ü😀' }]);
          expect(await store.count('d', 0, 10_000)).toEqual({ primary: 2, shadow: 1 });
          await store.append([{ deployment: 'd', requestId: 'r5', timestamp: 4000, modelName: 'm', modelVersion: '2', variant: 'primary', inputs: { x: [1, 1] }, outputs: { y: [1] }, latencyMs: 1 }]);
          expect((await store.readWindow({ deployment: 'd', from: 2500, to: 10_000 })).map((r) => r.requestId)).toEqual(['r2', 'r5']);
        } finally {
          await sql.close();
        }
      } finally {
        await database.cleanup();
      }
    });
  });
}
