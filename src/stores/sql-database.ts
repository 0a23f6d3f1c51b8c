/**
 * One open SQL database shared by every SQL-backed store (tracking, registry, data, ...): one
 * connection (SQLite) or one pool (PostgreSQL) per process, one set of migrations, so a write in one
 * domain and a read in another see the same transactions.
 */
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Dialect } from './sql/sql-text.js';
import { invalidArgument } from '../core/errors.js';
import { openSqlite } from './sqlite/open-sqlite.js';
import { openPostgres } from './postgres/open-postgres.js';
import { WriteCounter } from './write-counter.js';

/**
 * Runs one statement as a named prepared statement (parsed and planned once per connection), outside
 * any transaction, on connections that plan primary-key lookups (open-postgres.ts keyedPool): for
 * hot batch writes of rows named by their keys. PostgreSQL only: SQLite's statements are prepared
 * once per text anyway.
 */
export type PreparedQuery = <R>(name: string, text: string, values: unknown[]) => Promise<R[]>;

export interface SqlDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Changes when another connection commits (SQLite's PRAGMA data_version); absent: unknown. */
  externalVersion?: () => number;
  /** The SQLite database file (absent for PostgreSQL and in-memory databases). */
  sqliteFile?: string;
  /** Writes through this handle, by any store: with externalVersion, what read caches key on. */
  writes: WriteCounter;
  /** PostgreSQL: named prepared statements for hot, fixed-text writes. */
  prepared?: PreparedQuery;
  close(): Promise<void>;
}

/** `sqlite:` (default: `<home>/gyre.db`), `sqlite:/path/file.db`, `sqlite::memory:` or `postgres://…`. */
export async function openSqlDatabase(databaseUrl: string, home: string): Promise<SqlDatabase> {
  if (databaseUrl === 'sqlite:' || databaseUrl.startsWith('sqlite:')) {
    const rest = databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    const file = rest === '' ? path.join(home, 'gyre.db') : rest === ':memory:' ? ':memory:' : path.resolve(rest);
    const { db, raw } = openSqlite(file);
    return {
      db,
      dialect: 'sqlite',
      writes: new WriteCounter(),
      externalVersion: () => raw.pragma('data_version', { simple: true }) as number,
      ...(file === ':memory:' ? {} : { sqliteFile: file }),
      close: () => db.destroy(),
    };
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { db, keyedPool, close } = await openPostgres(databaseUrl);
    const prepared: PreparedQuery = async <R>(name: string, text: string, values: unknown[]) => (await keyedPool.query<R & object>({ name, text, values })).rows;
    return { db, dialect: 'postgres', writes: new WriteCounter(), prepared, close };
  }
  throw invalidArgument(`Database URL '${databaseUrl}' is not supported. Use 'sqlite:' (default), 'sqlite:/path/to/file.db' or 'postgres://user@host:5432/db'.`);
}
