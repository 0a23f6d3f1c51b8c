/**
 * Models logged by runs: the package files go to the run's artifacts under an artifact path
 * (`model/` by default: `model.onnx` + `gyre-model.json`, so MLflow clients browsing the run see
 * them too), after the same checks as registration; a version is later created from the run.
 */
import type { RunArtifactAccess } from '../tracking/run-artifact-access.js';
import type { TrackingService } from '../tracking/tracking-service.js';
import { buildModelPackage } from './model-package.js';
import type { PackageOptions } from './model-package.js';
import { streamToBuffer } from './stream-to-buffer.js';
import { invalidArgument, GyreError } from '../core/errors.js';

export const LOGGED_MODEL_TAG = 'gyre.logged_models';

export interface LogModelOptions extends Omit<PackageOptions, 'name'> {
  /** Where in the run's artifacts (default 'model'). */
  artifactPath?: string;
  name?: string;
}

/** Checks the model in ONNX Runtime and stores it as run artifacts; returns the package digest. */
export async function logModel(tracking: TrackingService, artifacts: RunArtifactAccess, runId: string, onnx: Uint8Array, options: LogModelOptions = {}): Promise<{ artifactPath: string; digest: string }> {
  const artifactPath = (options.artifactPath ?? 'model').replace(/\/+$/, '');
  const run = await tracking.getRun(runId);
  const pkg = await buildModelPackage(onnx, { ...options, name: options.name ?? artifactPath, lineage: { runId, ...options.lineage } });
  await artifacts.upload(runId, `${artifactPath}/model.onnx`, pkg.onnx);
  await artifacts.upload(runId, `${artifactPath}/gyre-model.json`, `${JSON.stringify(pkg.manifest, null, 2)}\n`);
  const logged = JSON.parse(run.data.tags.find((t) => t.key === LOGGED_MODEL_TAG)?.value ?? '[]') as { artifactPath: string; digest: string }[];
  const next = [...logged.filter((l) => l.artifactPath !== artifactPath), { artifactPath, digest: pkg.digest }];
  await tracking.setTag(runId, LOGGED_MODEL_TAG, JSON.stringify(next));
  return { artifactPath, digest: pkg.digest };
}

/** The logged model's files, read back from the run's artifacts. */
export async function readLoggedModel(artifacts: RunArtifactAccess, runId: string, artifactPath = 'model'): Promise<{ onnx: Uint8Array; manifest: unknown }> {
  const path = artifactPath.replace(/\/+$/, '');
  try {
    const onnx = new Uint8Array(await streamToBuffer(await artifacts.download(runId, `${path}/model.onnx`)));
    const manifest = JSON.parse((await streamToBuffer(await artifacts.download(runId, `${path}/gyre-model.json`))).toString('utf8')) as Record<string, unknown>;
    return { onnx, manifest };
  } catch (err) {
    if (err instanceof GyreError && err.code === 'NOT_FOUND') {
      throw invalidArgument(`Run ${runId} has no logged model at '${path}' (expected ${path}/model.onnx and ${path}/gyre-model.json). Log one with run.logModel(...).`, { runId, artifactPath: path });
    }
    throw err;
  }
}
