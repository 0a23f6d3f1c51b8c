/** RegistryStore over Kysely, shared by SQLite and PostgreSQL; the queries live in ./registry/. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { AliasMoveInput, RegistryStore } from '../../registry/registry-store.js';
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
} from '../../registry/entities.js';
import { loadModels, loadVersions, modelIdOf } from './registry/registry-rows.js';
import * as models from './registry/model-writes.js';
import * as versions from './registry/version-writes.js';
import * as aliases from './registry/alias-writes.js';
import { listEvents } from './registry/registry-events.js';

export class SqlRegistryStore implements RegistryStore {
  constructor(
    private readonly db: Kysely<Database>,
    /** What close() does: a shared connection is closed by its opener. */
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  createModel(input: CreateModelInput, actor: Actor): Promise<RegisteredModel> {
    return models.createModel(this.db, input, actor);
  }
  async getModel(name: string): Promise<RegisteredModel> {
    return (await loadModels(this.db, name))[0]!;
  }
  listModels(): Promise<RegisteredModel[]> {
    return loadModels(this.db);
  }
  renameModel(name: string, newName: string, actor: Actor): Promise<RegisteredModel> {
    return models.renameModel(this.db, name, newName, actor);
  }
  updateModel(name: string, description: string, actor: Actor): Promise<RegisteredModel> {
    return models.updateModel(this.db, name, description, actor);
  }
  deleteModel(name: string, actor: Actor): Promise<void> {
    return models.deleteModel(this.db, name, actor);
  }
  setModelTag(name: string, key: string, value: string, actor: Actor): Promise<void> {
    return models.setModelTag(this.db, name, key, value, actor);
  }
  deleteModelTag(name: string, key: string, actor: Actor): Promise<void> {
    return models.deleteModelTag(this.db, name, key, actor);
  }

  createVersion(input: CreateVersionInput, actor: Actor): Promise<ModelVersion> {
    return versions.createVersion(this.db, input, actor);
  }
  async getVersion(name: string, version: number): Promise<ModelVersion> {
    return versions.getVersion(this.db, await modelIdOf(this.db, name), name, version);
  }
  async listVersions(name?: string): Promise<ModelVersion[]> {
    return loadVersions(this.db, name === undefined ? undefined : await modelIdOf(this.db, name));
  }
  async updateVersion(name: string, version: number, description: string, actor: Actor): Promise<ModelVersion> {
    const id = await versions.updateVersion(this.db, name, version, description, actor);
    return versions.getVersion(this.db, id, name, version);
  }
  deleteVersion(name: string, version: number, actor: Actor): Promise<void> {
    return versions.deleteVersion(this.db, name, version, actor);
  }
  setVersionTag(name: string, version: number, key: string, value: string, actor: Actor): Promise<void> {
    return versions.setVersionTag(this.db, name, version, key, value, actor);
  }
  deleteVersionTag(name: string, version: number, key: string, actor: Actor): Promise<void> {
    return versions.deleteVersionTag(this.db, name, version, key, actor);
  }
  async transitionStage(name: string, version: number, stage: Stage, archiveExisting: boolean, actor: Actor): Promise<ModelVersion> {
    const id = await versions.transitionStage(this.db, name, version, stage, archiveExisting, actor);
    return versions.getVersion(this.db, id, name, version);
  }

  moveAlias(input: AliasMoveInput): Promise<AliasMove> {
    return aliases.moveAlias(this.db, input);
  }
  getAliasVersion(name: string, alias: string): Promise<number> {
    return aliases.getAliasVersion(this.db, name, alias);
  }
  aliasHistory(name: string, alias?: string): Promise<AliasMove[]> {
    return aliases.aliasHistory(this.db, name, alias);
  }
  protectAlias(name: string, alias: string, policy: AliasPolicy | null, actor: Actor): Promise<AliasProtection> {
    return aliases.protectAlias(this.db, name, alias, policy, actor);
  }
  unprotectAlias(name: string, alias: string, actor: Actor): Promise<void> {
    return aliases.unprotectAlias(this.db, name, alias, actor);
  }
  async getProtection(name: string, alias: string): Promise<AliasProtection | null> {
    return (await aliases.listProtections(this.db, name, alias))[0] ?? null;
  }
  listProtections(name: string): Promise<AliasProtection[]> {
    return aliases.listProtections(this.db, name);
  }
  createApproval(name: string, alias: string, version: number, actor: Actor): Promise<ApprovalRequest> {
    return aliases.createApproval(this.db, name, alias, version, actor);
  }
  getApproval(id: number): Promise<ApprovalRequest> {
    return aliases.getApproval(this.db, id);
  }
  listApprovals(filter: { name?: string; status?: ApprovalStatus }): Promise<ApprovalRequest[]> {
    return aliases.listApprovals(this.db, filter);
  }
  decideApproval(id: number, decision: 'APPROVED' | 'REJECTED', actor: Actor): Promise<ApprovalRequest> {
    return aliases.decideApproval(this.db, id, decision, actor);
  }

  listEvents(afterId: number, limit: number): Promise<RegistryEvent[]> {
    return listEvents(this.db, afterId, limit);
  }
  close(): Promise<void> {
    return this.onClose();
  }
}
