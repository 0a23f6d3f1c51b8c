/**
 * A short-lived DuckDB database for one data operation (add, profile, validate). In memory, with a
 * memory limit and a spill folder, so a file larger than RAM is processed out of core instead of
 * growing the Node process without bound. Closed (and its spill folder removed) when done.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

export interface DuckSession {
  run(sql: string): Promise<void>;
  /** Rows as JSON-friendly objects (BIGINT and DECIMAL arrive as strings: convert with Number()). */
  all<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): void;
}

export interface DuckSessionOptions {
  /** DuckDB memory_limit, e.g. `1GB` (default 2GB): beyond it DuckDB spills to disk. */
  memoryLimit?: string;
  threads?: number;
}

export async function openDuckSession(opts: DuckSessionOptions = {}): Promise<DuckSession> {
  const spill = fs.mkdtempSync(path.join(os.tmpdir(), 'gyre-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: opts.memoryLimit ?? '2GB',
    temp_directory: spill,
    ...(opts.threads ? { threads: String(opts.threads) } : {}),
  });
  const conn: DuckDBConnection = await instance.connect();
  return {
    run: async (sql) => {
      await conn.run(sql);
    },
    all: async <T>(sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson() as T[],
    close: () => {
      conn.closeSync();
      instance.closeSync();
      fs.rmSync(spill, { recursive: true, force: true });
    },
  };
}

export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
export const sqlIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
export const sqlList = (items: string[]): string => `[${items.map(sqlString).join(', ')}]`;
