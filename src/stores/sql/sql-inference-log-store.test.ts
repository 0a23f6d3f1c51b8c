import { inferenceLogStoreContract } from '../../serving/inference-log/inference-log-store.contract.js';
import { runContractOnSqlBackends } from '../../test-support/sql-contract.js';
import { SqlInferenceLogStore } from './sql-inference-log-store.js';

runContractOnSqlBackends('InferenceLogStore', inferenceLogStoreContract, (sql) => new SqlInferenceLogStore(sql.db, sql.dialect));
