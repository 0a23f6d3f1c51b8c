import { pipelineStoreContract } from '../../pipelines/pipeline-store.contract.js';
import type { PipelineStoreFixture } from '../../pipelines/pipeline-store.contract.js';
import { runContractOnSqlBackends } from '../../test-support/sql-contract.js';
import type { PipelineStore } from '../../pipelines/pipeline-store.js';
import { SqlPipelineStore } from './sql-pipeline-store.js';
import { SqlTrackingStore } from './sql-tracking-store.js';

runContractOnSqlBackends<PipelineStore, PipelineStoreFixture>(
  'PipelineStore',
  pipelineStoreContract,
  (sql) => new SqlPipelineStore(sql),
  // Steps' tracking runs are written by the pipeline store; the contract reads them back through tracking.
  (_url, _backend, sql) => ({ tracking: new SqlTrackingStore(sql.db, sql.dialect, async () => {}, sql.externalVersion, sql.writes) }),
);
