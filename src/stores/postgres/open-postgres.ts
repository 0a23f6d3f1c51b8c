/**
 * The PostgreSQL backend. `?schema=NAME` in the URL puts every table in that schema (created if
 * missing); tests use it to give each run an isolated schema on a shared server.
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../schema.js';
import { applyPostgresMigrations, quoteIdent } from '../migrations/apply-migrations.js';

// BIGINT columns hold epoch milliseconds and counters, far below 2^53: parse them as numbers.
const INT8_OID = 20;
const types = {
  getTypeParser(oid: number, format?: unknown) {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface PostgresHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  /**
   * Connections for the hot batch writes that touch only their batch's rows by primary key (a
   * pipeline's step batches), planned with sequential scans off. Their plans are made once per
   * connection (named prepared statements); made while a table is new and small, without
   * statistics, the planner picks a scan of the whole table per batch, and keeps that plan as the
   * table grows until autovacuum's next ANALYZE: about a quarter of PostgreSQL's CPU per pipeline
   * step in bench/pipelines.js. Off, the same statements look their rows up in the primary key at any size.
   */
  keyedPool: pg.Pool;
  close(): Promise<void>;
}

/** Connections in keyedPool: one per prepared batch kind in flight (queue, finish; start marks use the main pool), and spares. */
const KEYED_POOL_SIZE = 4;

export async function openPostgres(url: string, poolSize = 10): Promise<PostgresHandle> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const searchPath = schema ? `-c search_path=${quoteIdent(schema)}` : '';
  const pool = new pg.Pool({ connectionString: parsed.toString(), max: poolSize, types, ...(searchPath ? { options: searchPath } : {}) });
  const keyedPool = new pg.Pool({ connectionString: parsed.toString(), max: KEYED_POOL_SIZE, types, options: `${searchPath} -c enable_seqscan=off`.trim() });
  // An idle connection the server drops (a restart, pg_terminate_backend) is emitted as 'error' on
  // its pool, which discards it and connects anew when needed; unheard, the event ends the process.
  for (const p of [pool, keyedPool]) p.on('error', (err) => console.error(`gyre: PostgreSQL closed an idle connection (${err.message}); a new one is made when needed`));
  try {
    const client = await pool.connect();
    try {
      await applyPostgresMigrations(client, schema);
    } finally {
      client.release();
    }
  } catch (err) {
    await Promise.allSettled([pool.end(), keyedPool.end()]);
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= Promise.all([db.destroy(), keyedPool.end()]).then(() => undefined));
  return { db, pool, keyedPool, close };
}
