/**
 * Step outputs in the artifact store, addressed by content (`pipelines/objects/<hex>`), so equal
 * outputs are stored once, cache hits reuse them, and workers on other machines read what an
 * upstream step wrote on another.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { streamToBuffer } from '../models/stream-to-buffer.js';
import { GyreError } from '../core/errors.js';
import type { OutputArtifact } from './entities.js';
import { digestOfPath, listFiles, sha256 } from './digests.js';

const objectPath = (digest: string) => `pipelines/objects/${digest.slice('sha256:'.length)}`;

async function putBytes(artifacts: ArtifactStore, bytes: Uint8Array): Promise<{ digest: string; storePath: string }> {
  const digest = sha256(bytes);
  const storePath = objectPath(digest);
  // Content-addressed: if it is there, it is these bytes.
  if (!(await artifacts.stat(storePath))) await artifacts.put(storePath, bytes);
  return { digest, storePath };
}

/**
 * Values up to this size are kept inline in the step's database row: an artifact write (file,
 * fsync, pointer) per small output was most of an executed step's cost (bench/pipelines.js).
 */
export const INLINE_VALUE_LIMIT = 4096;

export async function putValue(artifacts: ArtifactStore, name: string, value: unknown): Promise<OutputArtifact> {
  const text = JSON.stringify(value === undefined ? null : value);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= INLINE_VALUE_LIMIT) return { name, kind: 'value', size: bytes.length, digest: sha256(bytes), storePath: '', inline: text };
  return { name, kind: 'value', size: bytes.length, ...(await putBytes(artifacts, bytes)) };
}

export async function readBytes(artifacts: ArtifactStore, out: OutputArtifact): Promise<Buffer> {
  if (out.inline !== undefined) return Buffer.from(out.inline, 'utf8');
  try {
    return await streamToBuffer(await artifacts.get(out.storePath));
  } catch (err) {
    throw new GyreError('NOT_FOUND', `Output '${out.name}' (${out.digest}) is missing from the artifact store; rerun the step that made it with --force.`, { output: out.name, digest: out.digest, cause: (err as Error).message });
  }
}

export async function readValue(artifacts: ArtifactStore, out: OutputArtifact): Promise<unknown> {
  return JSON.parse((await readBytes(artifacts, out)).toString('utf8'));
}

/** Stores a shell step's out (a file, or a folder as a manifest of its files). */
export async function putPath(artifacts: ArtifactStore, name: string, abs: string): Promise<OutputArtifact> {
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) throw new GyreError('INVALID_STATE', `The command did not create its declared out '${name}' (${abs}). Make it write the file, or remove it from outs.`, { output: name });
  if (!stat.isDirectory()) {
    const bytes = fs.readFileSync(abs);
    return { name, kind: 'file', size: bytes.length, ...(await putBytes(artifacts, bytes)) };
  }
  const manifest: Record<string, string> = {};
  let size = 0;
  for (const rel of listFiles(abs)) {
    const bytes = fs.readFileSync(path.join(abs, rel));
    manifest[rel] = (await putBytes(artifacts, bytes)).digest;
    size += bytes.length;
  }
  const { storePath } = await putBytes(artifacts, Buffer.from(JSON.stringify(manifest)));
  // A folder's digest is its manifest's, as digestOfPath computes it locally.
  return { name, kind: 'dir', size, digest: digestOfPath(abs)!, storePath };
}

/** Makes `abs` hold the out's content (DVC's checkout): skipped when it already does. */
export async function restorePath(artifacts: ArtifactStore, out: OutputArtifact, abs: string): Promise<void> {
  if (digestOfPath(abs) === out.digest) return;
  fs.rmSync(abs, { recursive: true, force: true });
  if (out.kind === 'file' || out.kind === 'value') {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, await readBytes(artifacts, out));
    return;
  }
  const manifest = JSON.parse((await readBytes(artifacts, out)).toString('utf8')) as Record<string, string>;
  for (const [rel, digest] of Object.entries(manifest)) {
    const file = path.join(abs, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, await readBytes(artifacts, { name: `${out.name}/${rel}`, kind: 'file', digest, size: 0, storePath: objectPath(digest) }));
  }
}
