/**
 * Artifacts of a run, addressed by paths relative to the run's artifact root, stored in the
 * ArtifactStore under `<experiment>/<run>/artifacts/...` (the layout MLflow's artifact proxy uses,
 * so MLflow clients and Gyre's SDK see the same files).
 */
import type { ArtifactFileInfo, ArtifactStore } from '../artifacts/artifact-store.js';
import { normalizeArtifactPath } from '../artifacts/artifact-path.js';
import { GyreError } from '../core/errors.js';
import type { RunArtifactAccess } from './run-artifact-access.js';
import type { TrackingService } from './tracking-service.js';

const PROXY_SCHEME = /^mlflow-artifacts:(\/\/[^/]*)?\/*/;

/** The store path of an artifact URI served by this server, or null for an external location. */
export function storePathOfArtifactUri(uri: string): string | null {
  if (!PROXY_SCHEME.test(uri)) return null;
  return uri.replace(PROXY_SCHEME, '').replace(/\/+$/, '');
}

export class RunArtifacts implements RunArtifactAccess {
  constructor(
    private readonly tracking: TrackingService,
    private readonly store: ArtifactStore,
  ) {}

  async rootOf(runId: string): Promise<{ root: string; uri: string }> {
    const run = await this.tracking.getRun(runId);
    const root = storePathOfArtifactUri(run.info.artifactUri);
    if (root === null) {
      throw new GyreError('INVALID_STATE', `Run '${runId}' keeps its artifacts at ${run.info.artifactUri}, outside this server's artifact store; read them there.`, {
        runId,
        artifactUri: run.info.artifactUri,
      });
    }
    return { root, uri: run.info.artifactUri };
  }

  async upload(runId: string, relativePath: string, source: NodeJS.ReadableStream | Uint8Array | string): Promise<ArtifactFileInfo> {
    const path = normalizeArtifactPath(relativePath);
    const { root } = await this.rootOf(runId);
    const info = await this.store.put(`${root}/${path}`, source);
    return { ...info, path };
  }

  async download(runId: string, relativePath: string): Promise<NodeJS.ReadableStream> {
    const path = normalizeArtifactPath(relativePath);
    const { root } = await this.rootOf(runId);
    return this.store.get(`${root}/${path}`);
  }

  /** Direct children of `dir` ('' = the run's root), with paths relative to the run's root. */
  async list(runId: string, dir = ''): Promise<{ rootUri: string; files: ArtifactFileInfo[] }> {
    const rel = normalizeArtifactPath(dir, { allowEmpty: true });
    const { root, uri } = await this.rootOf(runId);
    const entries = await this.store.list(rel ? `${root}/${rel}` : root);
    return { rootUri: uri, files: entries.map((e) => ({ ...e, path: e.path.slice(root.length + 1) })) };
  }
}
