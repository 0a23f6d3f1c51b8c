/**
 * What the OIP endpoints serve: a name (a deployment's, as in KServe) answering inference requests,
 * optionally pinned to one of the versions it serves. Deployments implement this with traffic
 * policies; StaticServedModels serves fixed models (tests, single-model serving).
 */
import type { OnnxModel } from './onnx-model.js';
import { GyreError, notFound } from '../core/errors.js';
import type { InferenceResponse, ModelMetadata } from './oip/protocol.js';

export interface InferContext {
  /** Request headers, lower-case (sticky routing reads one). */
  headers: Record<string, string | string[] | undefined>;
  /** The request's id for the inference log (and label joins): x-request-id, the body's id, or generated. */
  requestId?: string;
  /** The body as received, when the transport has its text: the inference log stores it as it is. */
  requestJson?: string;
}

export interface ServedModels {
  names(): string[];
  /** Metadata of the served name, or of one version it serves; NOT_FOUND / UNAVAILABLE otherwise. */
  metadata(name: string, version?: string): ModelMetadata;
  /** Throws NOT_FOUND for an unknown name or version, UNAVAILABLE (503) while loading. */
  checkReady(name: string, version?: string): void;
  infer(name: string, version: string | undefined, body: unknown, context: InferContext): Promise<InferenceResponse>;
  /** True once every served model is loaded and warm (readiness of the whole server). */
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
  metadata(name: string, version?: string): ModelMetadata {
    const { model, version: v } = this.resolve(name, version);
    return model.metadata(name, version === undefined ? [...this.models.get(name)!.keys()] : [v]);
  }
  checkReady(name: string, version?: string): void {
    this.resolve(name, version);
  }
  infer(name: string, version: string | undefined, body: unknown): Promise<InferenceResponse> {
    const { model, version: v } = this.resolve(name, version);
    return model.infer(body, name, v);
  }
  allReady(): boolean {
    return true;
  }

  private resolve(name: string, version?: string): { model: OnnxModel; version: string } {
    const versions = this.models.get(name);
    if (!versions) throw unknownModel(name, this.names());
    if (version === undefined) {
      // Unpinned: the newest version answers.
      const latest = [...versions.keys()].sort((a, b) => Number(b) - Number(a) || b.localeCompare(a))[0]!;
      return { model: versions.get(latest)!, version: latest };
    }
    const model = versions.get(version);
    if (!model) throw unknownVersion(name, version, [...versions.keys()]);
    return { model, version };
  }
}

export const unknownModel = (name: string, served: string[]): GyreError =>
  notFound(`No model '${name}' is served here. Served: ${served.join(', ') || 'none'}.`, { model: name });
export const unknownVersion = (name: string, version: string, served: string[]): GyreError =>
  notFound(`Model '${name}' does not serve version '${version}'. Served versions: ${served.join(', ') || 'none'}.`, { model: name, version });
/** The deployments of a process that may or may not serve: before `start()`, nothing is served. */
export function lazyServedModels(current: () => ServedModels | null): ServedModels {
  const live = (): ServedModels => {
    const s = current();
    if (!s) throw new GyreError('UNAVAILABLE', 'This process serves no deployments (serving starts with gyre server).', { retryAfterSeconds: 5 });
    return s;
  };
  return {
    names: () => current()?.names() ?? [],
    metadata: (name, version) => live().metadata(name, version),
    checkReady: (name, version) => live().checkReady(name, version),
    infer: (name, version, body, context) => live().infer(name, version, body, context),
    allReady: () => current()?.allReady() ?? false,
  };
}

/** For deployments still loading: OIP answers 503 with this. */
export const notReady = (name: string): GyreError => new GyreError('UNAVAILABLE', `Model '${name}' is loading; retry shortly.`, { model: name });
