/** Deployments' models from the registry: references resolve there, packages load from the artifact store. */
import type { ModelSource, ResolvedModel } from './model-source.js';
import type { RegistryApi } from '../../registry/registry-api.js';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import { loadModelPackage, loadPackageManifest, requirePackageDigest } from '../../models/model-package.js';
import type { GyreModelManifest } from '../../models/manifest.js';
import { parseModelRef } from '../../registry/model-ref.js';
import { invalidArgument } from '../../core/errors.js';

export class RegistryModelSource implements ModelSource {
  constructor(
    private readonly registry: RegistryApi,
    private readonly artifacts: ArtifactStore,
  ) {}

  checkRef(ref: string, field: string): void {
    try {
      parseModelRef(ref);
    } catch (err) {
      throw invalidArgument(`${field}: ${(err as Error).message}`, { field });
    }
  }

  async resolve(ref: string): Promise<ResolvedModel> {
    const v = await this.registry.resolve(ref);
    return { modelName: v.name, version: String(v.version), packageDigest: requirePackageDigest(v, 'serve it') };
  }

  async loadOnnx(resolved: ResolvedModel): Promise<Uint8Array> {
    return (await loadModelPackage(this.artifacts, resolved.packageDigest)).onnx;
  }

  async loadManifest(resolved: ResolvedModel): Promise<GyreModelManifest> {
    return loadPackageManifest(this.artifacts, resolved.packageDigest);
  }
}
