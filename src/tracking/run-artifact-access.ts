import type { ArtifactFileInfo } from '../artifacts/artifact-store.js';

/** What the SDK and CLI need of a run's artifacts; local (RunArtifacts) and remote alike. */
export interface RunArtifactAccess {
  upload(runId: string, relativePath: string, source: NodeJS.ReadableStream | Uint8Array | string): Promise<ArtifactFileInfo>;
  download(runId: string, relativePath: string): Promise<NodeJS.ReadableStream>;
  list(runId: string, dir?: string): Promise<{ rootUri: string; files: ArtifactFileInfo[] }>;
}
