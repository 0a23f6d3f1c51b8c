/**
 * Connection settings every SQLite connection to a Gyre database uses (the main one and the
 * inference log's worker-thread one), so both wait for each other's commits the same way and
 * checkpoint the WAL alike. Why each is set: open-sqlite.ts.
 */
import type BetterSqlite3 from 'better-sqlite3';

export function applyConnectionPragmas(raw: BetterSqlite3.Database): void {
  raw.pragma('busy_timeout = 10000');
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('wal_autocheckpoint = 10000');
  raw.pragma('temp_store = MEMORY');
}
