/**
 * Deployments as users change them: create, canary (set, step, promote, roll back), A/B, shadow,
 * replace, delete. Every change is validated and its references resolved before anything is stored
 * (an unknown model or version is refused, nothing changes), written by compare-and-set with who,
 * when and why, and applied at once in this process (other servers follow within a poll).
 */
import type { DeploymentStore } from './deployment-store.js';
import type { Deployment, DeploymentChange, DeploymentSpec, ModelRef } from './entities.js';
import type { ModelSource } from './model-source.js';
import type { DeploymentManager } from './deployment-manager.js';
import { checkDeploymentName, checkDeploymentSpec } from './spec-validation.js';
import { GyreError, invalidArgument } from '../../core/errors.js';
import type { Actor } from '../../core/actor.js';

export type { Actor } from '../../core/actor.js';

export interface DeploymentView extends Deployment {
  /** What this process serves now: variant, model, version (empty while loading). */
  serving: { variant: string; modelName: string; version: string }[];
}

const single = (model: ModelRef): DeploymentSpec => ({ strategy: 'single', variants: [{ name: 'stable', model, weight: 100 }] });

export class DeploymentService {
  constructor(
    private readonly store: DeploymentStore,
    private readonly source: ModelSource,
    /** The live deployments of this process, when it serves (gyre server); null in one-shot CLI runs. */
    private readonly manager: () => DeploymentManager | null = () => null,
  ) {}

  async create(name: string, spec: DeploymentSpec | { model: ModelRef }, actor: Actor): Promise<DeploymentView> {
    checkDeploymentName(name);
    const full = 'model' in spec ? single(spec.model) : spec;
    await this.check(full);
    await this.store.create(name, full, this.change('create', actor));
    return this.applied(name);
  }

  async get(name: string): Promise<DeploymentView> {
    const d = await this.store.get(name);
    return { ...d, serving: this.serving(name) };
  }

  list(): Promise<Deployment[]> {
    return this.store.list();
  }

  history(name: string, limit = 100): Promise<DeploymentChange[]> {
    return this.store.history(name, limit);
  }

  async delete(name: string, actor: Actor): Promise<void> {
    await this.store.delete(name, this.change('delete', actor));
    await this.manager()?.sync();
  }

  /** Replaces the whole spec. */
  replace(name: string, spec: DeploymentSpec, actor: Actor): Promise<DeploymentView> {
    return this.edit(name, 'replace', actor, () => spec);
  }

  /** Sends `percent` of traffic to `model`, the rest to what serves now. */
  canary(name: string, model: ModelRef, percent: number, actor: Actor): Promise<DeploymentView> {
    return this.edit(name, 'canary', actor, (spec) => {
      if (spec.strategy === 'ab') throw invalidState(name, 'is an A/B deployment; replace its spec to start a canary');
      const stable = spec.variants[0]!.model;
      return { ...spec, strategy: 'canary', variants: [{ name: 'stable', model: stable, weight: 100 - percent }, { name: 'canary', model, weight: percent }] };
    });
  }

  /** Moves the canary's share to `percent`. */
  stepCanary(name: string, percent: number, actor: Actor): Promise<DeploymentView> {
    return this.edit(name, 'canary-step', actor, (spec) => {
      if (spec.strategy !== 'canary') throw invalidState(name, 'has no canary to step; start one with canary');
      const [stable, canary] = spec.variants as [DeploymentSpec['variants'][0], DeploymentSpec['variants'][0]];
      return { ...spec, variants: [{ ...stable, weight: 100 - percent }, { ...canary, weight: percent }] };
    });
  }

  /** The canary takes all traffic. */
  promote(name: string, actor: Actor): Promise<DeploymentView> {
    return this.edit(name, 'promote', actor, (spec) => {
      if (spec.strategy !== 'canary') throw invalidState(name, 'has no canary to promote');
      return { ...spec, ...single(spec.variants[1]!.model) };
    });
  }

  /**
   * Ends a canary on its stable variant. When the stable variant follows an alias that was moved to
   * the canary's version (continuous training's canary rollout), this completes the promotion while
   * the deployment keeps following the alias.
   */
  finishCanary(name: string, actor: Actor): Promise<DeploymentView> {
    return this.edit(name, 'canary-finish', actor, (spec) => {
      if (spec.strategy !== 'canary') throw invalidState(name, 'has no canary to finish');
      return { ...spec, ...single(spec.variants[0]!.model) };
    });
  }

  /** A canary goes back to its stable version; otherwise the spec before the last change returns. */
  async rollback(name: string, actor: Actor): Promise<DeploymentView> {
    const history = await this.store.history(name, 2);
    return this.edit(name, 'rollback', actor, (spec) => {
      if (spec.strategy === 'canary') return { ...spec, ...single(spec.variants[0]!.model) };
      const previous = history[0]?.before;
      if (!previous) throw invalidState(name, 'has no earlier spec to roll back to');
      return previous;
    });
  }

  /** Mirrors `percent` of requests to `model` (null: stop mirroring). */
  shadow(name: string, model: ModelRef | null, percent: number, actor: Actor): Promise<DeploymentView> {
    return this.edit(name, model ? 'shadow' : 'shadow-off', actor, (spec) => {
      const { shadow: _old, ...rest } = spec;
      return model ? { ...rest, shadow: { model, percent } } : rest;
    });
  }

  private async edit(name: string, action: string, actor: Actor, next: (spec: DeploymentSpec) => DeploymentSpec): Promise<DeploymentView> {
    const current = await this.store.get(name);
    const spec = next(current.spec);
    await this.check(spec);
    await this.store.update(name, current.spec, spec, this.change(action, actor));
    return this.applied(name);
  }

  /** Syntax and weights first, then every reference must resolve (unknown model or version: refused). */
  private async check(spec: DeploymentSpec): Promise<void> {
    checkDeploymentSpec(spec, (ref, field) => this.source.checkRef(ref, field));
    const refs = [...spec.variants.map((v) => v.model), ...(spec.shadow ? [spec.shadow.model] : [])];
    for (const ref of refs) await this.source.resolve(ref);
  }

  private async applied(name: string): Promise<DeploymentView> {
    await this.manager()?.sync();
    return this.get(name);
  }

  private serving(name: string): DeploymentView['serving'] {
    try {
      return this.manager()?.runtime(name).serving() ?? [];
    } catch {
      return [];
    }
  }

  private change(action: string, actor: Actor): Omit<DeploymentChange, 'deployment' | 'before' | 'after'> {
    return { at: Date.now(), user: actor.user, action, reason: actor.reason ?? null };
  }
}

const invalidState = (name: string, what: string): GyreError => new GyreError('INVALID_STATE', `Deployment '${name}' ${what}.`, { name });
