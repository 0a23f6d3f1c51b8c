/**
 * The model registry (MLflow Model Registry's model, plus protected aliases, approvals, alias
 * history and an event outbox). Versions are integers on the inside and strings on MLflow's wire.
 */
import type { Tag } from '../tracking/entities.js';

export type { Tag };

/** MLflow's deprecated stages, kept for clients that still use them. */
export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type Stage = (typeof STAGES)[number];

export type VersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface AliasEntry {
  alias: string;
  version: number;
}

export interface RegisteredModel {
  name: string;
  description: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  tags: Tag[];
  aliases: AliasEntry[];
  /** The newest version per stage, as MLflow's get-registered-model answers. */
  latestVersions: ModelVersion[];
}

export interface ModelVersion {
  name: string;
  version: number;
  description: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string;
  stage: Stage;
  source: string;
  runId: string | null;
  runLink: string | null;
  status: VersionStatus;
  statusMessage: string | null;
  tags: Tag[];
  aliases: string[];
  /** The content digest of the Gyre model package this version points at, when it has one. */
  packageDigest: string | null;
}

export interface CreateModelInput {
  name: string;
  description?: string;
  tags?: Tag[];
}

export interface CreateVersionInput {
  name: string;
  source: string;
  runId?: string | null;
  runLink?: string | null;
  description?: string;
  tags?: Tag[];
  userId?: string;
  packageDigest?: string | null;
}

export type { Actor } from '../core/actor.js';

/** An automatic gate on a protected alias: every rule must hold for the candidate version. */
export interface AliasPolicy {
  /** e.g. `{ metric: 'rmse', op: '<=', value: 60 }`, read from the candidate's run metrics. */
  thresholds?: { metric: string; op: '<' | '<=' | '>' | '>=' | '='; value: number }[];
  /** The candidate must beat the current holder on this run metric. */
  mustBeat?: { metric: string; higherIsBetter: boolean };
}

export interface AliasProtection {
  alias: string;
  /** null: every move needs an approval by another user. */
  policy: AliasPolicy | null;
  createdBy: string;
  createdAt: number;
}

export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELLED';

export interface ApprovalRequest {
  id: number;
  name: string;
  alias: string;
  version: number;
  requestedBy: string;
  reason: string | null;
  status: ApprovalStatus;
  decidedBy: string | null;
  decisionReason: string | null;
  createdAt: number;
  decidedAt: number | null;
}

/** One alias move (or deletion), approved or not. */
export interface AliasMove {
  id: number;
  name: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  user: string;
  at: number;
  reason: string | null;
  /** How the move was authorised. */
  via: 'direct' | 'approval' | 'policy';
  approvalId: number | null;
  /** What a policy gate compared. */
  evidence: unknown | null;
}

export interface RegistryEvent {
  id: number;
  type: string;
  modelName: string | null;
  version: number | null;
  payload: unknown;
  user: string | null;
  createdAt: number;
}
