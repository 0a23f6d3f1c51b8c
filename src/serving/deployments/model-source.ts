/**
 * Where deployments get models: the registry resolves a reference (`NAME@ALIAS`, `NAME/VERSION`)
 * to a version and its package; the package store hands over the ONNX bytes. Kept as an interface
 * so serving does not depend on how the registry stores things.
 */
import type { GyreModelManifest } from '../../models/manifest.js';

export interface ResolvedModel {
  modelName: string;
  version: string;
  /** Identifies the package bytes; two references resolving to the same digest share one session. */
  packageDigest: string;
}

export interface ModelSource {
  resolve(ref: string): Promise<ResolvedModel>;
  loadOnnx(resolved: ResolvedModel): Promise<Uint8Array>;
  /** The package manifest (features for the records endpoint), when the source has one. */
  loadManifest?(resolved: ResolvedModel): Promise<GyreModelManifest>;
  /** Syntax check of a reference, for refusing a bad deployment spec before anything is stored. */
  checkRef(ref: string, field: string): void;
}
