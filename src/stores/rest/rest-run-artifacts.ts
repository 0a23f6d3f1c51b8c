/** Run artifacts over a remote server: uploads stream from the source, downloads stream back. */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ArtifactFileInfo } from '../../artifacts/artifact-store.js';
import type { RunArtifactAccess } from '../../tracking/run-artifact-access.js';
import type { RestClient } from './rest-client.js';
import { normalizeArtifactPath } from '../../artifacts/artifact-path.js';

// Paths are checked here, as locally: fetch would resolve a '..' segment before the server saw it.
const pathUrl = (p: string) => normalizeArtifactPath(p).split('/').map(encodeURIComponent).join('/');

export class RestRunArtifacts implements RunArtifactAccess {
  constructor(private readonly client: RestClient) {}

  async upload(runId: string, relativePath: string, source: NodeJS.ReadableStream | Uint8Array | string): Promise<ArtifactFileInfo> {
    const body = typeof source === 'string' || source instanceof Uint8Array ? source : (Readable.toWeb(Readable.from(source as AsyncIterable<Uint8Array>)) as unknown as RequestInit['body']);
    const res = await this.client.send('PUT', this.client.url(`/runs/${encodeURIComponent(runId)}/artifacts/${pathUrl(relativePath)}`), body as RequestInit['body'], 'application/octet-stream');
    return (await res.json()) as ArtifactFileInfo;
  }

  async download(runId: string, relativePath: string): Promise<NodeJS.ReadableStream> {
    const res = await this.client.send('GET', this.client.url(`/runs/${encodeURIComponent(runId)}/artifacts/${pathUrl(relativePath)}`));
    return Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  }

  list(runId: string, dir = ''): Promise<{ rootUri: string; files: ArtifactFileInfo[] }> {
    return this.client.json('GET', `/runs/${encodeURIComponent(runId)}/artifacts`, undefined, { path: normalizeArtifactPath(dir, { allowEmpty: true }) || undefined });
  }
}
