import { scheduleStoreContract } from '../../pipelines/schedules/schedule-store.contract.js';
import { runContractOnSqlBackends } from '../../test-support/sql-contract.js';
import { SqlScheduleStore } from './sql-schedule-store.js';

runContractOnSqlBackends('ScheduleStore', scheduleStoreContract, (sql) => new SqlScheduleStore(sql.db));
