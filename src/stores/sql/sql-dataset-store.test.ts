import { datasetStoreContract } from '../../data/dataset-store.contract.js';
import { runContractOnSqlBackends } from '../../test-support/sql-contract.js';
import { SqlDatasetStore } from './sql-dataset-store.js';

runContractOnSqlBackends('DatasetStore', datasetStoreContract, (sql) => new SqlDatasetStore(sql.db));
