import { describe, it } from 'vitest';
import { registryStoreContract } from '../../registry/registry-store.contract.js';
import { openSqlDatabase } from '../sql-database.js';
import { SqlRegistryStore } from './sql-registry-store.js';
import { testBackends } from '../../test-support/test-databases.js';

for (const backend of testBackends) {
  if (!backend.available) {
    describe.skip(`RegistryStore contract: ${backend.name} (needs GYRE_TEST_DATABASE_URL)`, () => {
      it('runs the whole RegistryStore contract against this backend', () => {});
    });
    continue;
  }
  registryStoreContract(backend.name, async () => {
    const database = backend.make();
    const sql = await openSqlDatabase(database.url, '/nonexistent');
    return {
      store: new SqlRegistryStore(sql.db, () => sql.close()),
      // Other connections to the same database: real contention, as between server processes. Not
      // for SQLite: two connections in one process deadlock on its synchronous busy wait, and one
      // process holds one connection (processes contend through the file, tested elsewhere).
      ...(backend.name === 'sqlite' ? {} : { more: async () => {
        const other = await openSqlDatabase(database.url, '/nonexistent');
        return new SqlRegistryStore(other.db, () => other.close());
      } }),
      cleanup: database.cleanup,
    };
  });
}
