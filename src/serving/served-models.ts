/**
 * What the OIP endpoints serve: a name (a deployment's, as in KServe) resolved to a loaded model,
 * optionally pinned to a version. Deployments implement this with traffic policies; tests and
 * single-model serving use StaticServedModels.
 */
import type { OnnxModel } from './onnx-model.js';
import { GyreError, notFound } from '../core/errors.js';

export interface ResolvedModel {
  model: OnnxModel;
  /** The version that answers, reported as model_version. */
  version?: string;
}

export interface ServedModels {
  /** Names with their versions, for listing. */
  names(): string[];
  versions(name: string): string[];
  /** The model answering for `name` (and `version`); NOT_FOUND if unknown, UNAVAILABLE while loading. */
  resolve(name: string, version?: string): ResolvedModel;
  /** True once every served model is loaded (readiness of the whole server). */
  allReady(): boolean;
}

export class StaticServedModels implements ServedModels {
  private readonly models = new Map<string, Map<string, OnnxModel>>();

  add(name: string, version: string, model: OnnxModel): void {
    if (!this.models.has(name)) this.models.set(name, new Map());
    this.models.get(name)!.set(version, model);
  }
  names(): string[] {
    return [...this.models.keys()];
  }
  versions(name: string): string[] {
    return [...(this.models.get(name)?.keys() ?? [])];
  }
  resolve(name: string, version?: string): ResolvedModel {
    const versions = this.models.get(name);
    if (!versions) throw notFound(`No model '${name}' is served here. Served: ${this.names().join(', ') || 'none'}.`, { model: name });
    if (version === undefined) {
      // Unpinned: the newest version answers.
      const latest = [...versions.keys()].sort((a, b) => Number(b) - Number(a) || b.localeCompare(a))[0]!;
      return { model: versions.get(latest)!, version: latest };
    }
    const model = versions.get(version);
    if (!model) throw notFound(`Model '${name}' has no served version '${version}'. Served versions: ${[...versions.keys()].join(', ')}.`, { model: name, version });
    return { model, version };
  }
  allReady(): boolean {
    return true;
  }
}

/** For deployments still loading: OIP answers 503 with this. */
export const notReady = (name: string): GyreError => new GyreError('UNAVAILABLE', `Model '${name}' is loading; retry shortly.`, { model: name });
