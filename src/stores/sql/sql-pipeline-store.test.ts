import { pipelineStoreContract } from '../../pipelines/pipeline-store.contract.js';
import { runContractOnSqlBackends } from '../../test-support/sql-contract.js';
import { SqlPipelineStore } from './sql-pipeline-store.js';

runContractOnSqlBackends('PipelineStore', pipelineStoreContract, (sql) => new SqlPipelineStore(sql.db));
