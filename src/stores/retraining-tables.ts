/** Kysely types of the continuous-training tables (migration 0009). */
import type { Generated } from 'kysely';

export interface RetrainingPoliciesTable {
  deployment: string;
  policy: string;
  updated_at: number;
}

export interface RetrainingEventsTable {
  event_id: Generated<number>;
  deployment: string;
  at: number;
  trigger_name: string;
  outcome: string;
  reason: string;
  run_id: string | null;
  version: number | null;
  champion_version: number | null;
  detail: string;
}

export interface RetrainingTables {
  retraining_policies: RetrainingPoliciesTable;
  retraining_events: RetrainingEventsTable;
}
