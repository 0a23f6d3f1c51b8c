import { describe, it } from 'vitest';
import { datasetStoreContract } from '../../data/dataset-store.contract.js';
import { openSqlDatabase } from '../sql-database.js';
import { SqlDatasetStore } from './sql-dataset-store.js';
import { testBackends } from '../../test-support/test-databases.js';

for (const backend of testBackends) {
  if (!backend.available) {
    describe.skip(`DatasetStore contract: ${backend.name} (needs GYRE_TEST_DATABASE_URL)`, () => {
      it('runs the whole DatasetStore contract against this backend', () => {});
    });
    continue;
  }
  datasetStoreContract(backend.name, async () => {
    const test = backend.make();
    const database = await openSqlDatabase(test.url, '/nonexistent');
    return {
      store: new SqlDatasetStore(database.db),
      cleanup: async () => {
        await database.close();
        await test.cleanup();
      },
    };
  });
}
