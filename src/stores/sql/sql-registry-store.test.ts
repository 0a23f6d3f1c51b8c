import { registryStoreContract } from '../../registry/registry-store.contract.js';
import type { RegistryStoreFixture } from '../../registry/registry-store.contract.js';
import { runContractOnSqlBackends } from '../../test-support/sql-contract.js';
import { openSqlDatabase } from '../sql-database.js';
import { SqlRegistryStore } from './sql-registry-store.js';

runContractOnSqlBackends<SqlRegistryStore, RegistryStoreFixture & { store: SqlRegistryStore }>(
  'RegistryStore',
  registryStoreContract,
  (sql) => new SqlRegistryStore(sql.db),
  // Other connections to the same database: real contention, as between server processes. Not for
  // SQLite: two connections in one process deadlock on its synchronous busy wait, and one process
  // holds one connection (processes contend through the file).
  (url, backend) =>
    backend === 'sqlite'
      ? {}
      : {
          more: async () => {
            const other = await openSqlDatabase(url, '/nonexistent');
            return new SqlRegistryStore(other.db, () => other.close());
          },
        },
);
