import { retrainingStoreContract } from '../../continuous-training/retraining-store.contract.js';
import { runContractOnSqlBackends } from '../../test-support/sql-contract.js';
import { SqlRetrainingStore } from './sql-retraining-store.js';

runContractOnSqlBackends('RetrainingStore', retrainingStoreContract, (sql) => new SqlRetrainingStore(sql.db));
