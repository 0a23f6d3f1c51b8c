/**
 * Applies pending migrations safely when several processes start at once: SQLite takes the
 * database write lock (BEGIN IMMEDIATE, waiting on busy_timeout), PostgreSQL a transaction-scoped
 * advisory lock. Whoever gets the lock second finds the work done and applies nothing.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { MIGRATIONS } from './migrations.js';

const LEDGER = `CREATE TABLE IF NOT EXISTS gyre_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`;
// Any constant works; it only has to be the same in every Gyre process.
const PG_MIGRATION_LOCK = 7_347_001;

export function applySqliteMigrations(db: BetterSqlite3.Database): string[] {
  const applied: string[] = [];
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(LEDGER);
    const done = new Set(
      (db.prepare('SELECT id FROM gyre_migrations').all() as { id: string }[]).map((r) => r.id),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      db.exec(m.sqlite);
      db.prepare('INSERT INTO gyre_migrations (id, applied_at) VALUES (?, ?)').run(m.id, Date.now());
      applied.push(m.id);
    }
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
  return applied;
}

export async function applyPostgresMigrations(client: pg.PoolClient, schema: string | null): Promise<string[]> {
  const applied: string[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [PG_MIGRATION_LOCK]);
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(LEDGER);
    const { rows } = await client.query<{ id: string }>('SELECT id FROM gyre_migrations');
    const done = new Set(rows.map((r) => r.id));
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      await client.query(m.postgres);
      await client.query('INSERT INTO gyre_migrations (id, applied_at) VALUES ($1, $2)', [m.id, Date.now()]);
      applied.push(m.id);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
  return applied;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
