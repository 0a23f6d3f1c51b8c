/** The deployment API over Gyre's native REST endpoints: the SDK's and CLI's remote mode. */
import type { RestClient } from './rest-client.js';
import type { Actor } from '../../core/actor.js';
import type { DeploymentApi } from '../../serving/deployments/deployment-api.js';
import type { DeploymentView } from '../../serving/deployments/deployment-service.js';
import type { Deployment, DeploymentChange, DeploymentSpec, ModelRef } from '../../serving/deployments/entities.js';

const seg = encodeURIComponent;
/** A change's reason travels in the body, as the routes read it. */
const why = (actor: Actor): { reason?: string } => (actor.reason ? { reason: actor.reason } : {});

export class RestDeploymentApi implements DeploymentApi {
  constructor(private readonly client: RestClient) {}

  /** Each call names its actor in X-Gyre-User (no authentication yet), as the registry's do. */
  private call<T>(actor: Actor | null, method: string, path: string, body?: unknown, query?: Record<string, string | number | undefined>): Promise<T> {
    return this.client.json<T>(method, path, body, query, actor ? { 'x-gyre-user': actor.user } : undefined);
  }
  private d = (name: string) => `/deployments/${seg(name)}`;

  create(name: string, spec: DeploymentSpec | { model: ModelRef }, actor: Actor): Promise<DeploymentView> {
    return this.call(actor, 'POST', '/deployments', { name, ...('model' in spec ? { model: spec.model } : { spec }), ...why(actor) });
  }
  get(name: string): Promise<DeploymentView> {
    return this.call(null, 'GET', this.d(name));
  }
  async list(): Promise<Deployment[]> {
    return (await this.call<{ deployments: Deployment[] }>(null, 'GET', '/deployments')).deployments;
  }
  async history(name: string, limit = 100): Promise<DeploymentChange[]> {
    return (await this.call<{ changes: DeploymentChange[] }>(null, 'GET', `${this.d(name)}/history`, undefined, { limit })).changes;
  }
  /** A DELETE carries its reason in the query. */
  delete(name: string, actor: Actor): Promise<void> {
    return this.call(actor, 'DELETE', this.d(name), undefined, why(actor));
  }
  replace(name: string, spec: DeploymentSpec, actor: Actor): Promise<DeploymentView> {
    return this.call(actor, 'PUT', `${this.d(name)}/spec`, { ...spec, ...why(actor) });
  }
  canary(name: string, model: ModelRef, percent: number, actor: Actor): Promise<DeploymentView> {
    return this.call(actor, 'POST', `${this.d(name)}/canary`, { model, percent, ...why(actor) });
  }
  stepCanary(name: string, percent: number, actor: Actor): Promise<DeploymentView> {
    return this.call(actor, 'POST', `${this.d(name)}/canary/step`, { percent, ...why(actor) });
  }
  promote(name: string, actor: Actor): Promise<DeploymentView> {
    return this.call(actor, 'POST', `${this.d(name)}/promote`, why(actor));
  }
  rollback(name: string, actor: Actor): Promise<DeploymentView> {
    return this.call(actor, 'POST', `${this.d(name)}/rollback`, why(actor));
  }
  shadow(name: string, model: ModelRef | null, percent: number, actor: Actor): Promise<DeploymentView> {
    if (model === null) return this.call(actor, 'DELETE', `${this.d(name)}/shadow`, undefined, why(actor));
    return this.call(actor, 'POST', `${this.d(name)}/shadow`, { model, percent, ...why(actor) });
  }
}
