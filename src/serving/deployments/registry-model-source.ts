/** Deployments' models from the registry: references resolve there, packages load from the artifact store. */
import type { ModelSource, ResolvedModel } from './model-source.js';
import type { RegistryApi } from '../../registry/registry-api.js';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import { loadModelPackage, loadPackageManifest } from '../../models/model-package.js';
import type { GyreModelManifest } from '../../models/manifest.js';
import { parseModelRef } from '../../registry/model-ref.js';
import { GyreError, invalidArgument } from '../../core/errors.js';

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
    if (!v.packageDigest) {
      throw new GyreError('INVALID_STATE', `${v.name} version ${v.version} has no Gyre model package (it was registered through MLflow's API with only a source URI). Register the ONNX file with 'gyre models register' to serve it.`, {
        name: v.name,
        version: v.version,
      });
    }
    return { modelName: v.name, version: String(v.version), packageDigest: v.packageDigest };
  }

  async loadOnnx(resolved: ResolvedModel): Promise<Uint8Array> {
    return (await loadModelPackage(this.artifacts, resolved.packageDigest)).onnx;
  }

  async loadManifest(resolved: ResolvedModel): Promise<GyreModelManifest> {
    return loadPackageManifest(this.artifacts, resolved.packageDigest);
  }
}
