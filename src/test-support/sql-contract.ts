/**
 * Runs a store contract against every SQL backend (SQLite always, PostgreSQL when
 * GYRE_TEST_DATABASE_URL is set), each in a fresh database, and names the skipped ones so a plain
 * `npm test` says what did not run.
 */
import { describe, it } from 'vitest';
import { openSqlDatabase } from '../stores/sql-database.js';
import type { SqlDatabase } from '../stores/sql-database.js';
import { testBackends } from './test-databases.js';

export interface StoreFixture<S> {
  store: S;
  cleanup(): Promise<void>;
}

export function runContractOnSqlBackends<S, F extends StoreFixture<S> = StoreFixture<S>>(
  contractName: string,
  contract: (backendName: string, make: () => Promise<F>) => void,
  build: (database: SqlDatabase) => S,
  /** Extra fixture fields a contract wants (e.g. more connections to the same database, or another store on this one). */
  extra: (url: string, backendName: string, database: SqlDatabase) => Partial<F> = () => ({}),
): void {
  for (const backend of testBackends) {
    if (!backend.available) {
      describe.skip(`${contractName} contract: ${backend.name} (needs GYRE_TEST_DATABASE_URL)`, () => {
        it(`runs the whole ${contractName} contract against this backend`, () => {});
      });
      continue;
    }
    contract(backend.name, async () => {
      const database = backend.make();
      const sql = await openSqlDatabase(database.url, '/nonexistent');
      return {
        ...extra(database.url, backend.name, sql),
        store: build(sql),
        cleanup: async () => {
          await sql.close();
          await database.cleanup();
        },
      } as F;
    });
  }
}
