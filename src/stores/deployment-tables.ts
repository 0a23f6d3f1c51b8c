/** Kysely types of the deployment tables (migration 0006). */
import type { Generated } from 'kysely';

export interface DeploymentsTable {
  name: string;
  spec: string;
  created_at: number;
  updated_at: number;
}

export interface DeploymentChangesTable {
  change_id: Generated<number>;
  deployment: string;
  at: number;
  user_name: string;
  action: string;
  reason: string | null;
  before_spec: string | null;
  after_spec: string | null;
}

export interface DeploymentTables {
  deployments: DeploymentsTable;
  deployment_changes: DeploymentChangesTable;
}
