/** Where retraining policies and the decisions made under them are kept. One interface, SQL backends. */
import type { NewRetrainingEvent, RetrainingEvent, RetrainingPolicy } from './entities.js';

export interface RetrainingStore {
  /** Creates or replaces the deployment's policy. */
  putPolicy(policy: RetrainingPolicy, at: number): Promise<void>;
  /** NOT_FOUND when the deployment has none. */
  getPolicy(deployment: string): Promise<RetrainingPolicy>;
  /** Every policy with the time it was last set (schedules count from it). */
  listPolicies(): Promise<{ policy: RetrainingPolicy; updatedAt: number }[]>;
  /** Removes the policy; its events stay (the audit trail outlives the policy). */
  deletePolicy(deployment: string): Promise<void>;
  appendEvent(event: NewRetrainingEvent): Promise<RetrainingEvent>;
  /** Newest first. */
  events(deployment: string, limit: number): Promise<RetrainingEvent[]>;
  /** Events that actually retrained (promoted, rejected or failed) since `from`, for guard rails. */
  retrainingsSince(deployment: string, from: number): Promise<RetrainingEvent[]>;
}
