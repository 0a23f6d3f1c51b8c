/**
 * Where backend tests get their databases: SQLite in a fresh temp folder always; PostgreSQL only
 * when GYRE_TEST_DATABASE_URL is set (.ci/run sets it), each call in its own schema so runs never
 * see each other's rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresTestUrl = process.env.GYRE_TEST_DATABASE_URL ?? null;

export function tempDir(prefix = 'gyre-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestDatabase {
  url: string;
  cleanup(): Promise<void>;
}

export function sqliteTestDatabase(): TestDatabase {
  const dir = tempDir();
  return { url: `sqlite:${path.join(dir, 'gyre.db')}`, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function postgresTestDatabase(): TestDatabase {
  if (!postgresTestUrl) throw new Error('GYRE_TEST_DATABASE_URL is not set');
  const schema = `gyre_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(postgresTestUrl);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: postgresTestUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The backends every store contract runs against, by name; PostgreSQL is listed even when skipped. */
export const testBackends: { name: string; available: boolean; make: () => TestDatabase }[] = [
  { name: 'sqlite', available: true, make: sqliteTestDatabase },
  { name: 'postgres', available: postgresTestUrl !== null, make: postgresTestDatabase },
];
