/**
 * Model packages: `model.onnx` + `gyre-model.json`, checked, immutable and content-addressed.
 *
 * Building one proves it serves: the bytes must decode as ONNX and load in ONNX Runtime (a file
 * that does not is refused with the runtime's own reason), the manifest must agree with the graph,
 * and the input example must run. The package digest is sha256 over the canonical JSON
 * `{"format":"gyre-model-package/1","gyre-model.json":"sha256:…","model.onnx":"sha256:…"}`, where
 * the manifest is hashed in canonical JSON without its own `digest` field; identical content always
 * gives the same digest, and any change a new one.
 */
import { createHash } from 'node:crypto';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { GyreError, invalidArgument } from '../core/errors.js';
import { OnnxModel } from '../serving/onnx-model.js';
import { canonicalJson } from './canonical-json.js';
import { checkManifestAgainstGraph, defaultManifest, outputsFromGraph } from './manifest-from-graph.js';
import type { GyreModelManifest, Lineage } from './manifest.js';
import { parseManifest } from './manifest-validation.js';
import { readOnnxGraph } from './onnx-graph.js';
import type { GraphInfo } from './onnx-graph.js';
import { recordsToFeeds, syntheticRecord } from './records-to-tensors.js';
import { streamToBuffer } from './stream-to-buffer.js';

export const PACKAGE_ROOT = 'model-packages';

export interface PackageOptions {
  name: string;
  /** A manifest (parsed JSON) to check against the graph; without one, it is read off the graph. */
  manifest?: unknown;
  /** Names for the features of a `[N, k]` input when no manifest is given. */
  featureNames?: string[];
  task?: GyreModelManifest['task'];
  description?: string;
  metrics?: Record<string, number>;
  lineage?: Partial<Lineage>;
  inputExample?: Record<string, unknown>[];
}

export interface ModelPackage {
  digest: string;
  manifest: GyreModelManifest;
  onnx: Uint8Array;
  graph: GraphInfo;
}

const sha = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export function packageDigest(onnx: Uint8Array, manifest: GyreModelManifest): string {
  const { digest: _ignored, ...hashed } = manifest;
  return sha(canonicalJson({ format: 'gyre-model-package/1', 'gyre-model.json': sha(canonicalJson(hashed)), 'model.onnx': sha(onnx) }));
}

/** Checks and assembles a package in memory; nothing is stored. */
export async function buildModelPackage(onnx: Uint8Array, options: PackageOptions): Promise<ModelPackage> {
  const graph = readOnnxGraph(onnx);
  const model = await OnnxModel.load(onnx);
  try {
    const base = options.manifest === undefined ? defaultManifest(options.name, graph, options.featureNames) : parseManifest(options.manifest, options.name);
    if (base.outputs.length === 0) base.outputs = outputsFromGraph(graph);
    const manifest: GyreModelManifest = {
      ...base,
      ...(options.task ? { task: options.task } : {}),
      ...(options.description ? { description: options.description } : {}),
      metrics: { ...base.metrics, ...options.metrics },
      lineage: { ...base.lineage, ...options.lineage },
      inputExample: options.inputExample ?? base.inputExample,
    };
    checkManifestAgainstGraph(manifest, graph);
    const example = manifest.inputExample ?? [syntheticRecord(manifest)];
    const outputs = manifest.outputs.map((o) => o.name);
    try {
      const result = await model.run(recordsToFeeds(example, manifest, graph.inputs), outputs);
      const missing = outputs.filter((o) => !result[o]);
      if (missing.length) throw new Error(`no value for output(s) ${missing.join(', ')}`);
    } catch (err) {
      throw invalidArgument(`The model loads but fails on its input example: ${(err as Error).message}`, { reason: (err as Error).message });
    }
    if (!manifest.inputExample) manifest.inputExample = example;
    const digest = packageDigest(onnx, manifest);
    return { digest, manifest: { ...manifest, digest }, onnx, graph };
  } finally {
    await model.release();
  }
}

const dirOf = (digest: string) => `${PACKAGE_ROOT}/${digest.replace(/^sha256:/, '')}`;

/** Writes a package under `model-packages/<hex>/`; writing the same package twice changes nothing. */
export async function storeModelPackage(store: ArtifactStore, pkg: ModelPackage): Promise<string> {
  const dir = dirOf(pkg.digest);
  if (!(await store.stat(`${dir}/gyre-model.json`))) {
    await store.put(`${dir}/model.onnx`, pkg.onnx);
    // The manifest last: its presence means the package is whole.
    await store.put(`${dir}/gyre-model.json`, `${JSON.stringify(pkg.manifest, null, 2)}\n`);
  }
  return dir;
}

/**
 * A package's manifest alone: lineage and model cards need no model bytes. Unverified (the digest
 * covers both files); serving loads through loadModelPackage, which checks it.
 */
export async function loadPackageManifest(store: ArtifactStore, digest: string): Promise<GyreModelManifest> {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw invalidArgument(`'${digest}' is not a package digest (sha256:<64 hex digits>).`, { digest });
  return JSON.parse((await streamToBuffer(await store.get(`${dirOf(digest)}/gyre-model.json`))).toString('utf8')) as GyreModelManifest;
}

export async function loadModelPackage(store: ArtifactStore, digest: string): Promise<{ onnx: Uint8Array; manifest: GyreModelManifest }> {
  const manifest = await loadPackageManifest(store, digest);
  const onnx = new Uint8Array(await streamToBuffer(await store.get(`${dirOf(digest)}/model.onnx`)));
  // Content-addressed means checkable: bytes that no longer hash to their address are refused, not served.
  const actual = packageDigest(onnx, manifest);
  if (actual !== digest) {
    throw new GyreError('INTERNAL', `Model package ${digest} is corrupt: its files hash to ${actual}. Re-register the model from its ONNX file.`, { digest, actual });
  }
  return { onnx, manifest };
}

/**
 * A registered version's package digest. Versions registered through MLflow's API with only a
 * source URI have no package; `purpose` says what needed one ("serve it", "score it").
 */
export function requirePackageDigest(v: { name: string; version: number; packageDigest?: string | null }, purpose: string): string {
  if (!v.packageDigest) {
    throw new GyreError('INVALID_STATE', `${v.name} version ${v.version} has no Gyre model package (it was registered through MLflow's API with only a source URI). Register the ONNX file with 'gyre models register' to ${purpose}.`, { name: v.name, version: v.version });
  }
  return v.packageDigest;
}
