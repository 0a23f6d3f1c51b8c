/**
 * The registry over Gyre's native REST API: the SDK's and CLI's remote mode. The server's
 * RegistryService does every check, so protection, approvals and gates hold whoever calls.
 */
import type { RestClient } from './rest-client.js';
import type { RegistryApi } from '../../registry/registry-api.js';
import type {
  Actor,
  AliasMove,
  AliasProtection,
  ApprovalRequest,
  ApprovalStatus,
  CreateModelInput,
  CreateVersionInput,
  ModelVersion,
  RegisteredModel,
  RegistryEvent,
} from '../../registry/entities.js';
import type { PolicyVerdict } from '../../registry/alias-policy.js';
import type { Page } from '../../registry/registry-service.js';
import type { SearchInput } from '../../registry/search/entity-search.js';

const seg = encodeURIComponent;
type Query = Record<string, string | number | string[] | undefined>;
const searchQuery = (i: SearchInput): Query => ({ filter: i.filter, orderBy: i.orderBy, maxResults: i.maxResults, pageToken: i.pageToken });

export class RestRegistryApi implements RegistryApi {
  constructor(private readonly client: RestClient) {}

  /** Each call names its actor in X-Gyre-User (no authentication yet). */
  private call<T>(actor: Actor | null, method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    return this.client.json<T>(method, path, body, query, actor ? { 'x-gyre-user': actor.user } : undefined);
  }
  private m = (name: string) => `/registered-models/${seg(name)}`;
  private v = (name: string, version: number | string) => `${this.m(name)}/versions/${seg(String(version))}`;
  private a = (name: string, alias: string) => `${this.m(name)}/aliases/${seg(alias)}`;

  createModel(input: CreateModelInput, actor: Actor): Promise<RegisteredModel> {
    return this.call(actor, 'POST', '/registered-models', input);
  }
  getModel(name: string): Promise<RegisteredModel> {
    return this.call(null, 'GET', this.m(name));
  }
  async ensureModel(name: string, actor: Actor): Promise<RegisteredModel> {
    try {
      return await this.getModel(name);
    } catch (err) {
      if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
      return this.createModel({ name }, actor).catch((e) => ((e as { code?: string }).code === 'ALREADY_EXISTS' ? this.getModel(name) : Promise.reject(e)));
    }
  }
  renameModel(name: string, newName: string, actor: Actor): Promise<RegisteredModel> {
    return this.call(actor, 'PATCH', this.m(name), { newName });
  }
  updateModel(name: string, description: string, actor: Actor): Promise<RegisteredModel> {
    return this.call(actor, 'PATCH', this.m(name), { description });
  }
  deleteModel(name: string, actor: Actor): Promise<void> {
    return this.call(actor, 'DELETE', this.m(name));
  }
  setModelTag(name: string, key: string, value: string, actor: Actor): Promise<void> {
    return this.call(actor, 'PUT', `${this.m(name)}/tags/${seg(key)}`, { value });
  }
  deleteModelTag(name: string, key: string, actor: Actor): Promise<void> {
    return this.call(actor, 'DELETE', `${this.m(name)}/tags/${seg(key)}`);
  }
  async searchModels(input: SearchInput): Promise<Page<RegisteredModel>> {
    const r = await this.call<{ models: RegisteredModel[]; nextPageToken: string | null }>(null, 'GET', '/registered-models', undefined, searchQuery(input));
    return { items: r.models, nextPageToken: r.nextPageToken };
  }

  createVersion(input: CreateVersionInput, actor: Actor): Promise<ModelVersion> {
    const { name, ...rest } = input;
    return this.call(actor, 'POST', `${this.m(name)}/versions`, Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== null && x !== undefined)));
  }
  getVersion(name: string, version: number | string): Promise<ModelVersion> {
    return this.call(null, 'GET', this.v(name, version));
  }
  updateVersion(name: string, version: number | string, description: string, actor: Actor): Promise<ModelVersion> {
    return this.call(actor, 'PATCH', this.v(name, version), { description });
  }
  deleteVersion(name: string, version: number | string, actor: Actor): Promise<void> {
    return this.call(actor, 'DELETE', this.v(name, version));
  }
  setVersionTag(name: string, version: number | string, key: string, value: string, actor: Actor): Promise<void> {
    return this.call(actor, 'PUT', `${this.v(name, version)}/tags/${seg(key)}`, { value });
  }
  deleteVersionTag(name: string, version: number | string, key: string, actor: Actor): Promise<void> {
    return this.call(actor, 'DELETE', `${this.v(name, version)}/tags/${seg(key)}`);
  }
  transitionStage(name: string, version: number | string, stage: string, archiveExisting: boolean, actor: Actor): Promise<ModelVersion> {
    return this.call(actor, 'PATCH', this.v(name, version), { stage, archiveExisting });
  }
  async searchVersions(input: SearchInput): Promise<Page<ModelVersion>> {
    const r = await this.call<{ versions: ModelVersion[]; nextPageToken: string | null }>(null, 'GET', '/model-versions', undefined, searchQuery(input));
    return { items: r.versions, nextPageToken: r.nextPageToken };
  }
  async latestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    return (await this.call<{ versions: ModelVersion[] }>(null, 'GET', `${this.m(name)}/latest-versions`, undefined, { stages })).versions;
  }
  async listVersions(name: string): Promise<ModelVersion[]> {
    return (await this.call<{ versions: ModelVersion[] }>(null, 'GET', `${this.m(name)}/versions`)).versions;
  }
  resolve(ref: string): Promise<ModelVersion> {
    return this.call(null, 'GET', '/model-refs/resolve', undefined, { ref });
  }

  setAlias(name: string, alias: string, version: number | string, actor: Actor): Promise<AliasMove> {
    return this.call(actor, 'PUT', this.a(name, alias), { version: String(version), ...(actor.reason ? { reason: actor.reason } : {}) });
  }
  async checkGate(name: string, alias: string, version: number | string): Promise<PolicyVerdict | null> {
    return (await this.call<{ verdict: PolicyVerdict | null }>(null, 'POST', `${this.a(name, alias)}/check`, { version: String(version) })).verdict;
  }
  deleteAlias(name: string, alias: string, actor: Actor): Promise<AliasMove> {
    return this.call(actor, 'DELETE', this.a(name, alias));
  }
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.call(null, 'GET', this.a(name, alias));
  }
  async aliasHistory(name: string, alias?: string): Promise<AliasMove[]> {
    const path = alias === undefined ? `${this.m(name)}/alias-history` : `${this.a(name, alias)}/history`;
    return (await this.call<{ moves: AliasMove[] }>(null, 'GET', path)).moves;
  }
  protectAlias(name: string, alias: string, policy: unknown, actor: Actor): Promise<AliasProtection> {
    return this.call(actor, 'PUT', `${this.a(name, alias)}/protection`, { policy: policy ?? null });
  }
  unprotectAlias(name: string, alias: string, actor: Actor): Promise<void> {
    return this.call(actor, 'DELETE', `${this.a(name, alias)}/protection`);
  }
  async listProtections(name: string): Promise<AliasProtection[]> {
    return (await this.call<{ protections: AliasProtection[] }>(null, 'GET', `${this.m(name)}/protections`)).protections;
  }
  requestApproval(name: string, alias: string, version: number | string, actor: Actor): Promise<ApprovalRequest> {
    return this.call(actor, 'POST', '/approvals', { name, alias, version: String(version), ...(actor.reason ? { reason: actor.reason } : {}) });
  }
  decide(id: number, decision: 'APPROVED' | 'REJECTED', actor: Actor): Promise<ApprovalRequest> {
    return this.call(actor, 'POST', `/approvals/${id}/${decision === 'APPROVED' ? 'approve' : 'reject'}`, actor.reason ? { reason: actor.reason } : {});
  }
  async listApprovals(filter: { name?: string; status?: ApprovalStatus } = {}): Promise<ApprovalRequest[]> {
    return (await this.call<{ approvals: ApprovalRequest[] }>(null, 'GET', '/approvals', undefined, { name: filter.name, status: filter.status })).approvals;
  }
  getApproval(id: number): Promise<ApprovalRequest> {
    return this.call(null, 'GET', `/approvals/${id}`);
  }
  async listEvents(afterId: number, limit: number): Promise<RegistryEvent[]> {
    return (await this.call<{ events: RegistryEvent[] }>(null, 'GET', '/registry-events', undefined, { after: afterId, limit })).events;
  }
}
