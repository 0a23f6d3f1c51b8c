/**
 * The embedded backend: one better-sqlite3 connection in WAL mode, wrapped for Kysely.
 *
 * - synchronous=NORMAL: in WAL mode a committed transaction survives a process crash (kill -9);
 *   only an OS crash or power loss can lose the last commits. That is the durability MLflow's
 *   SQLite store has too, and it is what makes ~10^5 commits/s possible.
 * - Prepared statements are cached by SQL text: Kysely's stock driver prepares on every call.
 * - Transactions begin IMMEDIATE so a second process writing the same file waits (busy_timeout)
 *   instead of failing mid-transaction with SQLITE_BUSY.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, SqliteDriver, CompiledQuery } from 'kysely';
import type { DatabaseConnection, SqliteDatabase, SqliteStatement } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../schema.js';
import { applySqliteMigrations } from '../migrations/apply-migrations.js';
import { applyConnectionPragmas } from './sqlite-pragmas.js';

const STATEMENT_CACHE_LIMIT = 500;

function cachingDatabase(raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => raw.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = raw.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= STATEMENT_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}

export interface SqliteHandle {
  db: Kysely<Database>;
  raw: BetterSqlite3.Database;
}

/** Opens (creating if needed) the SQLite file and brings its schema up to date. */
export function openSqlite(file: string): SqliteHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new BetterSqlite3(file);
  // busy_timeout, WAL with synchronous=NORMAL (see above); a checkpoint every ~40 MB of WAL instead
  // of SQLite's 4 MB, so a page rewritten by many batches is copied into the database once per
  // checkpoint, not once per 4 MB (bench/log-batch.js); statement journals of multi-row inserts in
  // memory instead of a temp file per batch. Shared with the inference log's own connection.
  applyConnectionPragmas(raw);
  // 64 MiB page cache (default 2 MiB): a 25k-run search's indexes stay in memory (33 -> 28 ms).
  raw.pragma('cache_size = -65536');
  raw.pragma('foreign_keys = ON');
  // MLflow's LIKE is case-sensitive; SQLite's is not unless told.
  raw.pragma('case_sensitive_like = ON');
  applySqliteMigrations(raw);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(cachingDatabase(raw)) });
  return { db, raw };
}
