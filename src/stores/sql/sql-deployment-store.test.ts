import { deploymentStoreContract } from '../../serving/deployments/deployment-store.contract.js';
import { runContractOnSqlBackends } from '../../test-support/sql-contract.js';
import { SqlDeploymentStore } from './sql-deployment-store.js';

runContractOnSqlBackends('DeploymentStore', deploymentStoreContract, (sql) => new SqlDeploymentStore(sql.db));
