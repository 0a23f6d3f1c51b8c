/**
 * The PostgreSQL handle on this machine's server: it survives the server dropping its idle
 * connections, and closing it twice is harmless.
 */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { openPostgres } from './open-postgres.js';
import { postgresTestDatabase, postgresTestUrl } from '../../test-support/test-databases.js';

describe.skipIf(!postgresTestUrl)('openPostgres (needs GYRE_TEST_DATABASE_URL)', () => {
  it('keeps working after the server terminates its idle connections, on both pools', async () => {
    const database = postgresTestDatabase();
    const handle = await openPostgres(database.url);
    const admin = new pg.Client({ connectionString: postgresTestUrl! });
    await admin.connect();
    try {
      const mainPid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(handle.db)).rows[0]!.pid;
      const keyedPid = (await handle.keyedPool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      // Both connections now sit idle in their pools; the server ends them, as a restart would.
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1)', [[mainPid, keyedPid]]);
      await new Promise((r) => setTimeout(r, 200));
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(handle.db)).rows).toEqual([{ one: 1 }]);
      expect((await handle.keyedPool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await handle.close();
      await handle.close();
      await database.cleanup();
    }
  });
});
