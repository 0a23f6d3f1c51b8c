/**
 * A ModelSource over models held in memory, with movable aliases: serving tests exercise real ONNX
 * Runtime sessions and real stores without the registry (whose own ModelSource has its own tests).
 */
import { createHash } from 'node:crypto';
import type { ModelSource, ResolvedModel } from '../serving/deployments/model-source.js';
import { invalidArgument, notFound } from '../core/errors.js';

export class MapModelSource implements ModelSource {
  readonly versions = new Map<string, Uint8Array>();
  readonly aliases = new Map<string, string>();

  add(name: string, version: number, onnx: Uint8Array): this {
    this.versions.set(`${name}/${version}`, onnx);
    return this;
  }
  setAlias(name: string, alias: string, version: number): void {
    this.aliases.set(`${name}@${alias}`, `${name}/${version}`);
  }

  checkRef(ref: string, field: string): void {
    if (!/^[^@/]+(@[^@/]+|\/\d+)$/.test(ref)) throw invalidArgument(`${field}: '${ref}' is not NAME@ALIAS or NAME/VERSION.`, { field });
  }
  async resolve(ref: string): Promise<ResolvedModel> {
    const pinned = this.aliases.get(ref) ?? ref;
    const bytes = this.versions.get(pinned);
    if (!bytes) throw notFound(`No model version '${ref}'.`, { ref });
    const [modelName, version] = pinned.split('/') as [string, string];
    return { modelName, version, packageDigest: createHash('sha256').update(bytes).digest('hex') };
  }
  async loadOnnx(resolved: ResolvedModel): Promise<Uint8Array> {
    return this.versions.get(`${resolved.modelName}/${resolved.version}`)!;
  }
}
