/** Several processes starting at once on a fresh database: migrations apply exactly once, nobody fails. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { repoRoot } from '../support/server-process.js';
import { MIGRATIONS } from '../../src/stores/migrations/migrations.js';
import { openTrackingStore } from '../../src/stores/open-stores.js';
import { postgresTestDatabase, postgresTestUrl, tempDir } from '../../src/test-support/test-databases.js';

function openInChild(databaseUrl: string): Promise<number> {
  const code = `import('${path.join(repoRoot, 'dist/stores/open-stores.js')}').then(async (m) => { const s = await m.openTrackingStore(${JSON.stringify(databaseUrl)}, '/tmp'); await s.createRun({ experimentId: '0', runName: 'x' }); await s.close(); })`;
  return new Promise((resolve) => spawn(process.execPath, ['-e', code], { stdio: 'inherit' }).on('exit', (c) => resolve(c ?? 1)));
}

describe('concurrent start-up migrations', () => {
  it('SQLite: 4 processes on one fresh file all start, migrations recorded once', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'gyre.db');
    const codes = await Promise.all([1, 2, 3, 4].map(() => openInChild(`sqlite:${file}`)));
    expect(codes).toEqual([0, 0, 0, 0]);
    const db = new Database(file);
    expect(db.prepare('SELECT id FROM gyre_migrations').all()).toEqual(MIGRATIONS.map((m) => ({ id: m.id })));
    expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 4 });
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  (postgresTestUrl ? it : it.skip)('PostgreSQL: 4 pools on one fresh schema all start, migrations recorded once (needs GYRE_TEST_DATABASE_URL)', async () => {
    const database = postgresTestDatabase();
    try {
      const stores = await Promise.all([1, 2, 3, 4].map(() => openTrackingStore(database.url, '/tmp')));
      await Promise.all(stores.map((s) => s.close()));
      const schema = new URL(database.url).searchParams.get('schema');
      const client = new pg.Client({ connectionString: postgresTestUrl! });
      await client.connect();
      const { rows } = await client.query(`SELECT id FROM "${schema}".gyre_migrations ORDER BY id`);
      await client.end();
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ id: m.id })));
    } finally {
      await database.cleanup();
    }
  });
});
