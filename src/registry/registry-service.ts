/**
 * The model registry as users and the HTTP edges see it: argument checks, model references,
 * protected aliases with approvals and policy gates. Stores persist; this decides.
 */
import type { RegistryStore } from './registry-store.js';
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
import { checkAlias, checkModelName, checkPolicy, checkStage, checkTag, checkVersion } from './registry-validation.js';
import { parseModelRef } from './model-ref.js';
import { evaluatePolicy } from './alias-policy.js';
import type { PolicyVerdict } from './alias-policy.js';
import { searchInMemory } from './search/entity-search.js';
import type { SearchInput } from './search/entity-search.js';
import { MODEL_SEARCH, VERSION_SEARCH } from './search/registry-schemas.js';
import { GyreError, invalidArgument, notFound } from '../core/errors.js';

/** Latest metric values of a run, for policy gates. */
export type RunMetricsReader = (runId: string) => Promise<Record<string, number>>;

export interface Page<T> {
  items: T[];
  nextPageToken: string | null;
}

/** Event types the registry emits (webhooks validate subscriptions against them). */
export const REGISTRY_EVENT_TYPES = [
  'registered_model.created',
  'registered_model.renamed',
  'registered_model.updated',
  'registered_model.deleted',
  'registered_model_tag.set',
  'registered_model_tag.deleted',
  'model_version.created',
  'model_version.updated',
  'model_version.deleted',
  'model_version.stage_transitioned',
  'model_version_tag.set',
  'model_version_tag.deleted',
  'model_alias.set',
  'model_alias.deleted',
  'model_alias.protected',
  'model_alias.unprotected',
  'approval.requested',
  'approval.decided',
] as const;

export class RegistryService {
  constructor(
    readonly store: RegistryStore,
    private readonly runMetrics: RunMetricsReader = async () => ({}),
  ) {}

  // --- registered models

  async createModel(input: CreateModelInput, actor: Actor): Promise<RegisteredModel> {
    checkModelName(input.name);
    for (const t of input.tags ?? []) checkTag(t.key, t.value);
    return this.store.createModel(input, actor);
  }
  async getModel(name: string): Promise<RegisteredModel> {
    return this.store.getModel(checkModelName(name));
  }
  /** Creates the model if it does not exist (registering a first version needs no separate step). */
  async ensureModel(name: string, actor: Actor): Promise<RegisteredModel> {
    try {
      return await this.store.getModel(checkModelName(name));
    } catch (err) {
      if (!(err instanceof GyreError && err.code === 'NOT_FOUND')) throw err;
      try {
        return await this.store.createModel({ name }, actor);
      } catch (e) {
        if (e instanceof GyreError && e.code === 'ALREADY_EXISTS') return this.store.getModel(name);
        throw e;
      }
    }
  }
  async renameModel(name: string, newName: string, actor: Actor): Promise<RegisteredModel> {
    return this.store.renameModel(checkModelName(name), checkModelName(newName, 'new_name'), actor);
  }
  async updateModel(name: string, description: string, actor: Actor): Promise<RegisteredModel> {
    return this.store.updateModel(checkModelName(name), String(description ?? ''), actor);
  }
  async deleteModel(name: string, actor: Actor): Promise<void> {
    return this.store.deleteModel(checkModelName(name), actor);
  }
  async setModelTag(name: string, key: string, value: string, actor: Actor): Promise<void> {
    checkTag(key, value);
    return this.store.setModelTag(checkModelName(name), key, value, actor);
  }
  async deleteModelTag(name: string, key: string, actor: Actor): Promise<void> {
    return this.store.deleteModelTag(checkModelName(name), key, actor);
  }
  async searchModels(input: SearchInput): Promise<Page<RegisteredModel>> {
    return searchInMemory(MODEL_SEARCH, await this.store.listModels(), input, 100);
  }

  // --- versions

  async createVersion(input: CreateVersionInput, actor: Actor): Promise<ModelVersion> {
    checkModelName(input.name);
    if (typeof input.source !== 'string') throw invalidArgument('source must be a string (the URI of the model files).', { field: 'source' });
    for (const t of input.tags ?? []) checkTag(t.key, t.value);
    return this.store.createVersion(input, actor);
  }
  async getVersion(name: string, version: number | string): Promise<ModelVersion> {
    return this.store.getVersion(checkModelName(name), checkVersion(version));
  }
  async updateVersion(name: string, version: number | string, description: string, actor: Actor): Promise<ModelVersion> {
    return this.store.updateVersion(checkModelName(name), checkVersion(version), String(description ?? ''), actor);
  }
  async deleteVersion(name: string, version: number | string, actor: Actor): Promise<void> {
    return this.store.deleteVersion(checkModelName(name), checkVersion(version), actor);
  }
  async setVersionTag(name: string, version: number | string, key: string, value: string, actor: Actor): Promise<void> {
    checkTag(key, value);
    return this.store.setVersionTag(checkModelName(name), checkVersion(version), key, value, actor);
  }
  async deleteVersionTag(name: string, version: number | string, key: string, actor: Actor): Promise<void> {
    return this.store.deleteVersionTag(checkModelName(name), checkVersion(version), key, actor);
  }
  async transitionStage(name: string, version: number | string, stage: string, archiveExisting: boolean, actor: Actor): Promise<ModelVersion> {
    return this.store.transitionStage(checkModelName(name), checkVersion(version), checkStage(stage), archiveExisting === true, actor);
  }
  async latestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    const wanted = stages?.length ? new Set<Stage>(stages.map(checkStage)) : null;
    return (await this.store.getModel(checkModelName(name))).latestVersions.filter((v) => !wanted || wanted.has(v.stage));
  }
  async searchVersions(input: SearchInput): Promise<Page<ModelVersion>> {
    return searchInMemory(VERSION_SEARCH, await this.store.listVersions(), input, 10_000);
  }
  async listVersions(name: string): Promise<ModelVersion[]> {
    return this.store.listVersions(checkModelName(name));
  }

  /** The version a reference names: `NAME@ALIAS`, `NAME/VERSION`, `models:/…`, `NAME/latest`, `NAME/Production`. */
  async resolve(ref: string): Promise<ModelVersion> {
    const r = parseModelRef(ref);
    switch (r.kind) {
      case 'version':
        return this.store.getVersion(r.name, r.version);
      case 'alias':
        return this.store.getVersion(r.name, await this.store.getAliasVersion(r.name, r.alias));
      case 'latest':
      case 'stage': {
        const versions = (await this.store.listVersions(r.name)).filter((v) => r.kind === 'latest' || v.stage === r.stage);
        const newest = versions.sort((a, b) => b.version - a.version)[0];
        if (!newest) throw notFound(`Model '${r.name}' has no ${r.kind === 'latest' ? '' : `${r.stage} `}version.`, { ref });
        return newest;
      }
    }
  }

  // --- aliases

  /**
   * Points an alias at a version. An unprotected alias moves at once; a protected alias with a
   * policy gate moves only if the gate passes (its evidence is recorded either way: in the history
   * when it moves, in the error's details when it does not); a protected alias without a gate
   * needs an approval request instead.
   */
  async setAlias(name: string, alias: string, version: number | string, actor: Actor): Promise<AliasMove> {
    checkModelName(name);
    checkAlias(alias);
    const v = checkVersion(version);
    const protection = await this.store.getProtection(name, alias);
    if (!protection?.policy) return this.store.moveAlias({ name, alias, version: v, actor, via: 'direct', allowProtected: false });
    const { verdict, holderVersion } = await this.gate(name, alias, v, protection.policy);
    if (!verdict.passed) {
      const failed = verdict.rules.filter((r) => !r.passed).map((r) => `${r.rule} (candidate ${r.candidate ?? 'missing'}${r.holder !== undefined ? `, holder ${r.holder ?? 'missing'}` : ''})`);
      throw new GyreError('INVALID_STATE', `Version ${v} may not take protected alias '${alias}' of '${name}': the policy gate failed on ${failed.join('; ')}.`, { name, alias, version: v, evidence: verdict });
    }
    return this.store.moveAlias({ name, alias, version: v, actor, via: 'policy', evidence: verdict, allowProtected: true, expectedFrom: holderVersion });
  }

  /** Evaluates a gate without moving anything (`gyre models alias check`). */
  async checkGate(name: string, alias: string, version: number | string): Promise<PolicyVerdict | null> {
    const protection = await this.store.getProtection(checkModelName(name), checkAlias(alias));
    if (!protection?.policy) return null;
    return (await this.gate(name, alias, checkVersion(version), protection.policy)).verdict;
  }

  private async gate(name: string, alias: string, version: number, policy: AliasPolicy): Promise<{ verdict: PolicyVerdict; holderVersion: number | null }> {
    const candidate = await this.store.getVersion(name, version);
    let holderVersion: number | null = null;
    try {
      holderVersion = await this.store.getAliasVersion(name, alias);
    } catch (err) {
      if (!(err instanceof GyreError && err.code === 'INVALID_ARGUMENT')) throw err;
    }
    const metricsOf = async (v: ModelVersion) => (v.runId ? this.runMetrics(v.runId) : {});
    const holder = holderVersion === null ? null : await this.store.getVersion(name, holderVersion);
    const verdict = evaluatePolicy(policy, { version, metrics: await metricsOf(candidate) }, holder ? { version: holder.version, metrics: await metricsOf(holder) } : null);
    return { verdict, holderVersion };
  }

  async deleteAlias(name: string, alias: string, actor: Actor): Promise<AliasMove> {
    return this.store.moveAlias({ name: checkModelName(name), alias: checkAlias(alias), version: null, actor, via: 'direct', allowProtected: false });
  }
  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    checkModelName(name);
    return this.store.getVersion(name, await this.store.getAliasVersion(name, alias));
  }
  async aliasHistory(name: string, alias?: string): Promise<AliasMove[]> {
    return this.store.aliasHistory(checkModelName(name), alias);
  }

  async protectAlias(name: string, alias: string, policy: unknown, actor: Actor): Promise<AliasProtection> {
    return this.store.protectAlias(checkModelName(name), checkAlias(alias), checkPolicy(policy), actor);
  }
  async unprotectAlias(name: string, alias: string, actor: Actor): Promise<void> {
    return this.store.unprotectAlias(checkModelName(name), checkAlias(alias), actor);
  }
  async listProtections(name: string): Promise<AliasProtection[]> {
    return this.store.listProtections(checkModelName(name));
  }

  // --- approvals

  async requestApproval(name: string, alias: string, version: number | string, actor: Actor): Promise<ApprovalRequest> {
    checkModelName(name);
    checkAlias(alias);
    const v = checkVersion(version);
    const protection = await this.store.getProtection(name, alias);
    if (!protection) throw new GyreError('INVALID_STATE', `Alias '${alias}' of '${name}' is not protected: set it directly ('gyre models alias set').`, { name, alias });
    return this.store.createApproval(name, alias, v, actor);
  }
  async decide(id: number, decision: 'APPROVED' | 'REJECTED', actor: Actor): Promise<ApprovalRequest> {
    if (!Number.isSafeInteger(id) || id < 1) throw invalidArgument(`Approval id must be a positive integer, got ${JSON.stringify(id)}.`, { field: 'id' });
    if (decision === 'REJECTED' && !actor.reason) throw invalidArgument('A rejection needs a reason, so the requester knows what to change.', { field: 'reason' });
    const request = await this.store.getApproval(id);
    if (request.requestedBy === actor.user) {
      throw new GyreError('PERMISSION_DENIED', `User '${actor.user}' requested approval ${id} and cannot decide it: another user must approve or reject.`, { id, user: actor.user });
    }
    return this.store.decideApproval(id, decision, actor);
  }
  async listApprovals(filter: { name?: string; status?: ApprovalStatus } = {}): Promise<ApprovalRequest[]> {
    return this.store.listApprovals(filter);
  }
  async getApproval(id: number): Promise<ApprovalRequest> {
    return this.store.getApproval(id);
  }

  // --- events (the webhooks' source)

  async listEvents(afterId: number, limit: number): Promise<RegistryEvent[]> {
    return this.store.listEvents(afterId, limit);
  }
}
