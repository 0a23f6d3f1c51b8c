/** Kysely types of the registry tables (migration 0002). */
import type { Generated } from 'kysely';

export interface RegisteredModelsTable {
  model_id: Generated<number>;
  name: string;
  description: string;
  creation_time: number;
  last_updated_time: number;
  next_version: number;
}

export interface ModelKeyValueTable {
  model_id: number;
  key: string;
  value: string;
}

export interface ModelVersionsTable {
  model_id: number;
  version: number;
  description: string;
  creation_time: number;
  last_updated_time: number;
  user_id: string;
  stage: string;
  source: string;
  run_id: string | null;
  run_link: string | null;
  status: string;
  status_message: string | null;
  package_digest: string | null;
}

export interface ModelVersionTagsTable {
  model_id: number;
  version: number;
  key: string;
  value: string;
}

export interface ModelAliasesTable {
  model_id: number;
  alias: string;
  version: number;
}

export interface AliasProtectionsTable {
  model_id: number;
  alias: string;
  policy: string | null;
  created_by: string;
  created_at: number;
}

export interface ApprovalRequestsTable {
  approval_id: Generated<number>;
  model_id: number;
  alias: string;
  version: number;
  requested_by: string;
  reason: string | null;
  status: string;
  decided_by: string | null;
  decision_reason: string | null;
  created_at: number;
  decided_at: number | null;
}

export interface AliasHistoryTable {
  move_id: Generated<number>;
  model_id: number;
  alias: string;
  from_version: number | null;
  to_version: number | null;
  user_name: string;
  at: number;
  reason: string | null;
  via: string;
  approval_id: number | null;
  evidence: string | null;
}

export interface RegistryEventsTable {
  event_id: Generated<number>;
  type: string;
  model_name: string | null;
  version: number | null;
  payload: string;
  user_name: string | null;
  created_at: number;
}

export interface RegistryTables {
  registered_models: RegisteredModelsTable;
  registered_model_tags: ModelKeyValueTable;
  model_versions: ModelVersionsTable;
  model_version_tags: ModelVersionTagsTable;
  model_aliases: ModelAliasesTable;
  alias_protections: AliasProtectionsTable;
  approval_requests: ApprovalRequestsTable;
  alias_history: AliasHistoryTable;
  registry_events: RegistryEventsTable;
}
