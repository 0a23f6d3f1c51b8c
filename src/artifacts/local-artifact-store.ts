import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GyreError, invalidArgument, notFound } from '../core/errors.js';
import { normalizeArtifactPath } from './artifact-path.js';
import type { ArtifactFileInfo, ArtifactStore } from './artifact-store.js';
import { errnoCode, fsyncDir, fsyncFile, lstatOrNull } from './local-fs.js';

/** What a file under `paths/` holds: the content it names, never the content itself. */
interface Pointer {
  digest: string;
  size: number;
}

const DIGEST_RE = /^sha256:([0-9a-f]{64})$/;
// Bounds open file descriptors when listing a directory with many artifacts.
const LIST_CONCURRENCY = 64;
// A concurrent delete may prune an empty parent between our mkdir and rename; a few retries suffice.
const PLACE_ATTEMPTS = 4;

/**
 * Artifacts in a local folder (default `.gyre/artifacts`), content-addressed:
 *
 * - `objects/<2 hex>/<62 hex>` — each distinct content once, named by its sha256;
 * - `paths/<artifact path>` — a small JSON pointer `{digest, size}` per artifact; directories are
 *   real directories, so listing is a readdir;
 * - `tmp/` — in-flight writes and trees being deleted. Anything here is invisible to readers.
 *
 * Every write lands in `tmp/`, is fsynced, then renamed into place (object first, pointer last), so a
 * crash at any point leaves either the old artifact or the new one, never a half file or a pointer to
 * a missing object.
 *
 * `delete` removes pointers only, because objects may be shared by other paths. Unreferenced objects
 * and files left in `tmp/` by a crashed process are reclaimed by a garbage collector that is a later
 * concern; until then they cost disk space only.
 *
 * Paths are compared by the host filesystem, so on a case-insensitive one (macOS, Windows defaults)
 * `A.txt` and `a.txt` are the same artifact.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;
  private readonly objectsDir: string;
  private readonly pathsDir: string;
  private readonly tmpDir: string;
  private layout: Promise<void> | undefined;

  constructor(root: string) {
    this.root = root;
    this.objectsDir = join(root, 'objects');
    this.pathsDir = join(root, 'paths');
    this.tmpDir = join(root, 'tmp');
  }

  async put(path: string, source: NodeJS.ReadableStream | Uint8Array | string): Promise<ArtifactFileInfo> {
    const rel = normalizeArtifactPath(path);
    await this.ensureLayout();
    // Checked before streaming so a refused path costs nothing and writes nothing.
    await this.assertPlaceable(rel);
    const pointer = await this.storeObject(source);
    await this.writePointer(rel, pointer);
    return { path: rel, isDir: false, size: pointer.size, digest: pointer.digest };
  }

  async get(path: string): Promise<NodeJS.ReadableStream> {
    const rel = normalizeArtifactPath(path);
    const pointer = await this.readPointer(rel);
    if (pointer === 'dir') throw notFound(`Artifact '${rel}' is a directory, not a file`, { path: rel });
    if (!pointer) throw notFound(`No artifact at '${rel}'`, { path: rel });
    try {
      // Opened here, not lazily, so a missing object fails this call and a later GC cannot pull the
      // file out from under a reader that already holds the descriptor.
      const fh = await open(this.objectPath(pointer.digest), 'r');
      return fh.createReadStream();
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
      throw new GyreError('INTERNAL', `Artifact '${rel}' points at content that is missing from the store`, {
        path: rel,
        digest: pointer.digest,
      });
    }
  }

  async stat(path: string): Promise<ArtifactFileInfo | null> {
    const rel = normalizeArtifactPath(path, { allowEmpty: true });
    if (rel === '') return { path: '', isDir: true };
    return this.infoFor(rel);
  }

  async list(dir: string): Promise<ArtifactFileInfo[]> {
    const rel = normalizeArtifactPath(dir, { allowEmpty: true });
    let names: string[];
    try {
      names = await readdir(this.pointerPath(rel));
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw err;
    }
    const infos: ArtifactFileInfo[] = [];
    for (let i = 0; i < names.length; i += LIST_CONCURRENCY) {
      const batch = names.slice(i, i + LIST_CONCURRENCY);
      const found = await Promise.all(batch.map((name) => this.infoFor(rel === '' ? name : `${rel}/${name}`)));
      // An entry deleted between readdir and the read is simply gone.
      for (const info of found) if (info) infos.push(info);
    }
    return infos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async delete(path: string): Promise<void> {
    const rel = normalizeArtifactPath(path, { allowEmpty: true });
    if (rel === '') {
      throw invalidArgument('Refusing to delete the whole artifact store; name a file or directory', { path });
    }
    const target = this.pointerPath(rel);
    const st = await lstatOrNull(target);
    if (!st) throw notFound(`No artifact at '${rel}'`, { path: rel });
    try {
      if (st.isDirectory()) {
        await this.ensureLayout();
        // Renamed away first so readers see the whole tree vanish at once, not file by file.
        const trash = join(this.tmpDir, `${randomUUID()}.deleted`);
        await rename(target, trash);
        await rm(trash, { recursive: true, force: true });
      } else {
        await unlink(target);
      }
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw notFound(`No artifact at '${rel}'`, { path: rel });
      throw err;
    }
    await this.pruneEmptyParents(rel);
  }

  private async ensureLayout(): Promise<void> {
    this.layout ??= Promise.all(
      [this.objectsDir, this.pathsDir, this.tmpDir].map((d) => mkdir(d, { recursive: true })),
    ).then(
      () => undefined,
      (err: unknown) => {
        this.layout = undefined; // let the next call retry, e.g. after permissions are fixed
        throw err;
      },
    );
    return this.layout;
  }

  /** Streams the source to `tmp/` while hashing, then moves it to `objects/` unless already there. */
  private async storeObject(source: NodeJS.ReadableStream | Uint8Array | string): Promise<Pointer> {
    const tmp = join(this.tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        toStream(source),
        async function* (chunks: AsyncIterable<Uint8Array | string>) {
          for await (const chunk of chunks) {
            // A source with setEncoding() yields strings; bytes are what we hash and store.
            const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
            hash.update(bytes);
            size += bytes.length;
            yield bytes;
          }
        },
        createWriteStream(tmp, { flags: 'wx' }),
      );
      await fsyncFile(tmp);
      const digest = `sha256:${hash.digest('hex')}`;
      const objectPath = this.objectPath(digest);
      const existing = await lstatOrNull(objectPath);
      // Objects only ever arrive complete (by rename), so a same-sized file with this name is this content.
      if (existing?.isFile() && existing.size === size) {
        await unlink(tmp);
      } else {
        await mkdir(dirname(objectPath), { recursive: true });
        await rename(tmp, objectPath);
        await fsyncDir(dirname(objectPath));
      }
      return { digest, size };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  private async writePointer(rel: string, pointer: Pointer): Promise<void> {
    const tmp = join(this.tmpDir, `${randomUUID()}.pointer`);
    try {
      const fh = await open(tmp, 'wx');
      try {
        await fh.writeFile(JSON.stringify(pointer));
        await fh.sync();
      } finally {
        await fh.close();
      }
      const target = this.pointerPath(rel);
      for (let attempt = 1; ; attempt++) {
        try {
          await mkdir(dirname(target), { recursive: true });
          await rename(tmp, target);
          break;
        } catch (err) {
          if (errnoCode(err) === 'ENOENT' && attempt < PLACE_ATTEMPTS) continue;
          throw await this.placementError(err, rel);
        }
      }
      await fsyncDir(dirname(target));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Refuses a path that is a directory, or lies under a file. */
  private async assertPlaceable(rel: string): Promise<void> {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const st = await lstatOrNull(this.pointerPath(prefix));
      if (!st) break;
      if (!st.isDirectory()) throw fileAsDirectory(rel, prefix);
    }
    const st = await lstatOrNull(this.pointerPath(rel));
    if (st?.isDirectory()) throw directoryAsFile(rel);
  }

  /**
   * A mkdir/rename that failed because of what is already there means we lost a race with a concurrent
   * put; re-running the pre-check names the conflict (errno alone is ambiguous: EEXIST can mean either).
   */
  private async placementError(err: unknown, rel: string): Promise<unknown> {
    const code = errnoCode(err);
    if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR' || code === 'EPERM') {
      try {
        await this.assertPlaceable(rel);
      } catch (conflict) {
        return conflict;
      }
    }
    return err;
  }

  private async infoFor(rel: string): Promise<ArtifactFileInfo | null> {
    const pointer = await this.readPointer(rel);
    if (pointer === 'dir') return { path: rel, isDir: true };
    if (!pointer) return null;
    return { path: rel, isDir: false, size: pointer.size, digest: pointer.digest };
  }

  private async readPointer(rel: string): Promise<Pointer | 'dir' | null> {
    let text: string;
    try {
      text = await readFile(this.pointerPath(rel), 'utf8');
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'EISDIR') return 'dir';
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw err;
    }
    return parsePointer(text, rel);
  }

  /** Removes directories the delete left empty, so a directory exists only while it holds files. */
  private async pruneEmptyParents(rel: string): Promise<void> {
    const parts = rel.split('/');
    for (let i = parts.length - 1; i >= 1; i--) {
      try {
        await rmdir(this.pointerPath(parts.slice(0, i).join('/')));
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT' || code === 'ENOTDIR') return;
        throw err;
      }
    }
  }

  private pointerPath(rel: string): string {
    return rel === '' ? this.pathsDir : join(this.pathsDir, ...rel.split('/'));
  }

  private objectPath(digest: string): string {
    const hex = digest.slice('sha256:'.length);
    return join(this.objectsDir, hex.slice(0, 2), hex.slice(2));
  }
}

function toStream(source: NodeJS.ReadableStream | Uint8Array | string): NodeJS.ReadableStream {
  if (typeof source === 'string') return Readable.from([Buffer.from(source, 'utf8')]);
  if (source instanceof Uint8Array) return Readable.from([source]);
  return source;
}

function parsePointer(text: string, rel: string): Pointer {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const p = value as Partial<Pointer> | undefined;
  if (typeof p?.digest !== 'string' || !DIGEST_RE.test(p.digest) || !Number.isSafeInteger(p.size) || p.size! < 0) {
    throw new GyreError('INTERNAL', `Artifact index entry for '${rel}' is corrupt`, { path: rel });
  }
  return { digest: p.digest, size: p.size! };
}

function fileAsDirectory(rel: string, file: string): GyreError {
  return invalidArgument(`Cannot store '${rel}': '${file}' is a file, not a directory`, {
    path: rel,
    conflict: file,
  });
}

function directoryAsFile(rel: string): GyreError {
  return invalidArgument(`Cannot store '${rel}': it is a directory of artifacts; delete it first or choose another name`, {
    path: rel,
  });
}
