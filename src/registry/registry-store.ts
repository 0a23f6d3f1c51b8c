/**
 * Persistence of the registry. Each method is one transaction that also appends its event to the
 * outbox (and, for alias moves, to the alias history), so what webhooks and auditors see is
 * exactly what was committed. Validation of names and arguments is RegistryService's job.
 */
import type {
  Actor,
  AliasMove,
  AliasPolicy,
  AliasProtection,
  ApprovalRequest,
  ApprovalStatus,
  CreateModelInput,
  CreateVersionInput,
  ModelVersion,
  RegisteredModel,
  RegistryEvent,
  Stage,
} from './entities.js';

export interface AliasMoveInput {
  name: string;
  alias: string;
  /** null deletes the alias. */
  version: number | null;
  actor: Actor;
  via: AliasMove['via'];
  approvalId?: number | null;
  evidence?: unknown;
  /** Refuse (INVALID_STATE) when the alias is protected: direct moves pass false. */
  allowProtected: boolean;
  /** Compare-and-set: refuse (CONFLICT) unless the alias still points here (undefined: any). */
  expectedFrom?: number | null;
}

export interface RegistryStore {
  createModel(input: CreateModelInput, actor: Actor): Promise<RegisteredModel>;
  getModel(name: string): Promise<RegisteredModel>;
  listModels(): Promise<RegisteredModel[]>;
  renameModel(name: string, newName: string, actor: Actor): Promise<RegisteredModel>;
  updateModel(name: string, description: string, actor: Actor): Promise<RegisteredModel>;
  deleteModel(name: string, actor: Actor): Promise<void>;
  setModelTag(name: string, key: string, value: string, actor: Actor): Promise<void>;
  deleteModelTag(name: string, key: string, actor: Actor): Promise<void>;

  createVersion(input: CreateVersionInput, actor: Actor): Promise<ModelVersion>;
  getVersion(name: string, version: number): Promise<ModelVersion>;
  /** Every version of `name`, or of every model when omitted. */
  listVersions(name?: string): Promise<ModelVersion[]>;
  updateVersion(name: string, version: number, description: string, actor: Actor): Promise<ModelVersion>;
  deleteVersion(name: string, version: number, actor: Actor): Promise<void>;
  setVersionTag(name: string, version: number, key: string, value: string, actor: Actor): Promise<void>;
  deleteVersionTag(name: string, version: number, key: string, actor: Actor): Promise<void>;
  transitionStage(name: string, version: number, stage: Stage, archiveExisting: boolean, actor: Actor): Promise<ModelVersion>;

  moveAlias(input: AliasMoveInput): Promise<AliasMove>;
  /** The version an alias points at; INVALID_ARGUMENT (MLflow's answer) when it is not set. */
  getAliasVersion(name: string, alias: string): Promise<number>;
  aliasHistory(name: string, alias?: string): Promise<AliasMove[]>;

  protectAlias(name: string, alias: string, policy: AliasPolicy | null, actor: Actor): Promise<AliasProtection>;
  unprotectAlias(name: string, alias: string, actor: Actor): Promise<void>;
  getProtection(name: string, alias: string): Promise<AliasProtection | null>;
  listProtections(name: string): Promise<AliasProtection[]>;

  createApproval(name: string, alias: string, version: number, actor: Actor): Promise<ApprovalRequest>;
  getApproval(id: number): Promise<ApprovalRequest>;
  listApprovals(filter: { name?: string; status?: ApprovalStatus }): Promise<ApprovalRequest[]>;
  /**
   * Records the decision if the request is still PENDING (else INVALID_STATE); an approval moves
   * the alias in the same transaction, with the approval as its authority.
   */
  decideApproval(id: number, decision: 'APPROVED' | 'REJECTED', actor: Actor): Promise<ApprovalRequest>;

  listEvents(afterId: number, limit: number): Promise<RegistryEvent[]>;
  close(): Promise<void>;
}
