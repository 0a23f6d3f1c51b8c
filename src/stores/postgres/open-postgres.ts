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
}

export async function openPostgres(url: string, poolSize = 10): Promise<PostgresHandle> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: poolSize,
    types,
    ...(schema ? { options: `-c search_path=${quoteIdent(schema)}` } : {}),
  });
  const client = await pool.connect();
  try {
    await applyPostgresMigrations(client, schema);
  } finally {
    client.release();
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
