/**
 * Registering a model: package it (checked in ONNX Runtime), store the package, and create a
 * registry version pointing at it, with lineage filled from the run it came from — the run id,
 * the dataset versions the run recorded as inputs, and the code version (the run's git tag, else
 * the working directory's commit).
 */
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { TrackingService } from '../tracking/tracking-service.js';
import type { Run } from '../tracking/entities.js';
import type { RegistryApi } from '../registry/registry-api.js';
import type { Actor, ModelVersion } from '../registry/entities.js';
import { buildModelPackage, storeModelPackage } from './model-package.js';
import type { PackageOptions } from './model-package.js';
import type { Lineage } from './manifest.js';
import { codeVersionOf } from './code-version.js';
import { readLoggedModel } from './run-models.js';
import type { RunArtifactAccess } from '../tracking/run-artifact-access.js';
import { invalidArgument } from '../core/errors.js';
import { GyreError } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';

export interface RegisterInput {
  name: string;
  /** The model file; when absent, the model `runId` logged at `artifactPath` is registered. */
  onnx?: Uint8Array;
  artifactPath?: string;
  manifest?: unknown;
  featureNames?: string[];
  task?: PackageOptions['task'];
  description?: string;
  metrics?: Record<string, number>;
  runId?: string;
  parentModel?: string;
  /** Point this alias at the new version (subject to protection). */
  alias?: string;
  inputExample?: Record<string, unknown>[];
}

export interface RegistrationDeps {
  registry: RegistryApi;
  artifacts: ArtifactStore;
  tracking: TrackingService;
  runArtifacts: RunArtifactAccess;
}

const GIT_COMMIT_TAG = 'mlflow.source.git.commit';

function lineageFromRun(run: Run | null): Partial<Lineage> {
  if (!run) return { codeVersion: codeVersionOf() };
  const commit = run.data.tags.find((t) => t.key === GIT_COMMIT_TAG)?.value;
  return {
    runId: run.info.runId,
    datasetVersions: run.inputs.datasetInputs.map((d) => ({ name: d.dataset.name, digest: d.dataset.digest, ...(d.dataset.source ? { version: d.dataset.source } : {}) })),
    codeVersion: commit ? { gitCommit: commit, dirty: false } : codeVersionOf(),
  };
}

export async function registerModel(deps: RegistrationDeps, input: RegisterInput, actor: Actor): Promise<ModelVersion> {
  if (!input.onnx) {
    if (!input.runId) throw invalidArgument('Give the model file (--onnx) or the run that logged it (--run).', { field: 'onnx' });
    const logged = await readLoggedModel(deps.runArtifacts, input.runId, input.artifactPath);
    return registerModel(deps, { ...input, onnx: logged.onnx, manifest: input.manifest ?? logged.manifest }, actor);
  }
  const run = input.runId ? await deps.tracking.getRun(input.runId) : null;
  const lineage = { ...lineageFromRun(run), ...(input.parentModel ? { parentModel: input.parentModel } : {}) };
  const runMetrics = run ? Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])) : {};
  const pkg = await buildModelPackage(input.onnx, {
    name: input.name,
    ...(input.manifest !== undefined ? { manifest: input.manifest } : {}),
    ...(input.featureNames ? { featureNames: input.featureNames } : {}),
    ...(input.task ? { task: input.task } : {}),
    ...(input.description ? { description: input.description } : {}),
    ...(input.inputExample ? { inputExample: input.inputExample } : {}),
    metrics: { ...runMetrics, ...input.metrics },
    lineage,
  });
  const dir = await storeModelPackage(deps.artifacts, pkg);
  await deps.registry.ensureModel(input.name, actor);
  const version = await deps.registry.createVersion(
    {
      name: input.name,
      source: `gyre-artifacts:/${dir}`,
      runId: input.runId ?? null,
      description: input.description ?? '',
      packageDigest: pkg.digest,
      tags: [{ key: 'gyre.package.digest', value: pkg.digest }],
    },
    actor,
  );
  if (!input.alias) return version;
  try {
    await deps.registry.setAlias(input.name, input.alias, version.version, actor);
  } catch (err) {
    // The version stands (it is complete and immutable); only the alias move was refused.
    const e = err as { code?: string; message?: string; details?: Record<string, unknown> };
    throw new GyreError((e.code as ErrorCode) ?? 'INTERNAL', `Registered ${input.name} version ${version.version}, but alias '${input.alias}' was not moved: ${e.message}`, { ...e.details, version: version.version });
  }
  return deps.registry.getVersion(input.name, version.version);
}
