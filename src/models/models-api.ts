/**
 * Model-level operations beyond the registry's records: register an ONNX file as a version,
 * its lineage, its model card. Local (in-process) and remote (REST) implementations.
 */
import type { Actor, ModelVersion } from '../registry/entities.js';
import type { LineageDeps, LineageGraph } from '../registry/lineage/lineage-graph.js';
import { lineageOf } from '../registry/lineage/lineage-graph.js';
import { modelCardSections, renderHtml, renderMarkdown } from '../registry/model-card.js';
import { registerModel } from './model-registration.js';
import type { RegisterInput, RegistrationDeps } from './model-registration.js';
import type { RestClient } from '../stores/rest/rest-client.js';
import { loadModelPackage, requirePackageDigest } from './model-package.js';
import type { GyreModelManifest } from './manifest.js';

export interface ModelsApi {
  register(input: RegisterInput, actor: Actor): Promise<ModelVersion>;
  lineage(ref: string): Promise<LineageGraph>;
  card(ref: string, format: 'markdown' | 'html'): Promise<string>;
}

export class LocalModelsApi implements ModelsApi {
  constructor(private readonly deps: LineageDeps & RegistrationDeps) {}
  register(input: RegisterInput, actor: Actor): Promise<ModelVersion> {
    return registerModel(this.deps, input, actor);
  }
  lineage(ref: string): Promise<LineageGraph> {
    return lineageOf(this.deps, ref);
  }
  async card(ref: string, format: 'markdown' | 'html'): Promise<string> {
    const card = await modelCardSections(this.deps, ref);
    return format === 'html' ? renderHtml(card) : renderMarkdown(card);
  }
  /** A registered version's ONNX bytes and manifest (checked against their digest), e.g. to score a champion. */
  async loadPackage(ref: string): Promise<{ version: ModelVersion; onnx: Uint8Array; manifest: GyreModelManifest }> {
    const version = await this.deps.registry.resolve(ref);
    return { version, ...(await loadModelPackage(this.deps.artifacts, requirePackageDigest(version, 'score it'))) };
  }
}

export class RestModelsApi implements ModelsApi {
  constructor(private readonly client: RestClient) {}
  register(input: RegisterInput, actor: Actor): Promise<ModelVersion> {
    const { onnx, name, ...rest } = input;
    const path = `/registered-models/${encodeURIComponent(name)}/versions/${onnx ? 'from-onnx' : 'from-run'}`;
    return this.client.json('POST', path, { ...rest, ...(onnx ? { onnx: Buffer.from(onnx).toString('base64') } : {}) }, undefined, { 'x-gyre-user': actor.user });
  }
  lineage(ref: string): Promise<LineageGraph> {
    return this.client.json('GET', '/model-lineage', undefined, { ref });
  }
  async card(ref: string, format: 'markdown' | 'html'): Promise<string> {
    const res = await this.client.send('GET', this.client.url('/model-cards', { ref, format }));
    return res.text();
  }
}
