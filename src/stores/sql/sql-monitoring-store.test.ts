import { monitoringStoreContract } from '../../monitoring/monitoring-store.contract.js';
import { runContractOnSqlBackends } from '../../test-support/sql-contract.js';
import { SqlMonitoringStore } from './sql-monitoring-store.js';

runContractOnSqlBackends('MonitoringStore', monitoringStoreContract, (sql) => new SqlMonitoringStore(sql.db));
