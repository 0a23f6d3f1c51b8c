import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GyreError } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';
import type { ArtifactStore } from './artifact-store.js';

/** What a backend's test hands the suite: a fresh, empty store and a way to throw it away. */
export interface ArtifactStoreFixture {
  store: ArtifactStore;
  cleanup(): Promise<void>;
  /** Everything the backend physically holds (files for local, keys for S3): proves a refused call wrote nothing. */
  physicalEntries?(): Promise<string[]>;
  /** How many content objects the backend holds: proves identical contents are stored once. */
  contentObjectCount?(): Promise<number>;
}

const MB = 1024 * 1024;
const BIG_BYTES = 50 * MB;
// Well under the file size: proves the bytes streamed through instead of being held whole.
const MAX_RSS_GROWTH = 40 * MB;

export const TRAVERSAL_PATHS = [
  '../x',
  'a/../../x',
  '/etc/passwd',
  '%2e%2e/x',
  '..%2fx',
  '%252e%252e/x',
  'a\\..\\b',
  'a\0b',
  'C:\\x',
  '\\\\server\\share',
];

/**
 * The behaviour every ArtifactStore backend must show. A backend's test file calls this once with a
 * factory; each test gets its own fresh store.
 */
export function artifactStoreContract(name: string, makeStore: () => Promise<ArtifactStoreFixture>): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let fx: ArtifactStoreFixture;
    let store: ArtifactStore;

    beforeEach(async () => {
      fx = await makeStore();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('round-trips bytes exactly from a string, a Uint8Array and a stream', async () => {
      const bytes = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));
      const text = 'héllo, wörld ✓';
      const a = await store.put('text.txt', text);
      const b = await store.put('bytes.bin', bytes);
      const c = await store.put('stream.bin', Readable.from([Buffer.from('ab'), Buffer.from('cd')]));
      expect(a).toMatchObject({ path: 'text.txt', isDir: false, size: Buffer.byteLength(text) });
      expect(b).toMatchObject({ path: 'bytes.bin', isDir: false, size: 256 });
      expect(c).toMatchObject({ path: 'stream.bin', isDir: false, size: 4 });
      expect((await readAll(await store.get('text.txt'))).toString('utf8')).toBe(text);
      expect(Buffer.compare(await readAll(await store.get('bytes.bin')), Buffer.from(bytes))).toBe(0);
      expect((await readAll(await store.get('stream.bin'))).toString()).toBe('abcd');
    });

    it('stores an empty file', async () => {
      expect(await store.put('empty', '')).toMatchObject({ size: 0 });
      expect((await readAll(await store.get('empty'))).length).toBe(0);
    });

    it('reports a sha256 digest that matches the contents', async () => {
      const info = await store.put('d.txt', 'digest me');
      expect(info.digest).toBe(`sha256:${createHash('sha256').update('digest me').digest('hex')}`);
    });

    it('streams a 50 MB file in and out without holding it in memory', async () => {
      // A small round trip first lets the JS heap grow its young generation (a fixed ~30 MB that any
      // busy async code pays once), so what we measure below is what scales with the file.
      await store.put('big/warm-up.bin', generatedStream(8 * MB).stream);
      await readAll(await store.get('big/warm-up.bin'));
      const source = generatedStream(BIG_BYTES);
      const base = process.memoryUsage.rss();
      let peak = base;
      const sample = (): void => {
        peak = Math.max(peak, process.memoryUsage.rss());
      };
      const timer = setInterval(sample, 5);
      try {
        const info = await store.put('big/blob.bin', source.stream);
        sample();
        expect(info.size).toBe(BIG_BYTES);
        const back = await hashStream(await store.get('big/blob.bin'), sample);
        expect(back).toEqual({ size: BIG_BYTES, hex: source.hex() });
        expect(info.digest).toBe(`sha256:${source.hex()}`);
      } finally {
        clearInterval(timer);
      }
      expect(peak - base).toBeLessThan(MAX_RSS_GROWTH);
    });

    it('lists direct children of a directory, directories vs files, sorted, with sizes', async () => {
      await store.put('top.txt', '123');
      await store.put('dir/a.txt', 'aaaa');
      await store.put('dir/sub/b.bin', 'bb');
      await store.put('dir/sub/deeper/c', 'c');
      expect(await store.list('')).toEqual([
        { path: 'dir', isDir: true },
        expect.objectContaining({ path: 'top.txt', isDir: false, size: 3 }),
      ]);
      expect(await store.list('dir')).toEqual([
        expect.objectContaining({ path: 'dir/a.txt', isDir: false, size: 4 }),
        { path: 'dir/sub', isDir: true },
      ]);
      expect(await store.list('dir/sub/')).toEqual([
        expect.objectContaining({ path: 'dir/sub/b.bin', isDir: false, size: 2 }),
        { path: 'dir/sub/deeper', isDir: true },
      ]);
      expect(await store.list('./dir//sub/deeper')).toEqual([
        expect.objectContaining({ path: 'dir/sub/deeper/c', size: 1 }),
      ]);
    });

    it('lists nothing for a missing directory or a file', async () => {
      expect(await store.list('')).toEqual([]);
      expect(await store.list('nope')).toEqual([]);
      await store.put('f.txt', 'x');
      expect(await store.list('f.txt')).toEqual([]);
    });

    it('overwrites an existing file, shorter contents included', async () => {
      await store.put('w.txt', 'a long first version');
      const info = await store.put('w.txt', 'v2');
      expect(info.size).toBe(2);
      expect((await readAll(await store.get('w.txt'))).toString()).toBe('v2');
      expect(await store.stat('w.txt')).toMatchObject({ size: 2, isDir: false });
      expect(await store.list('')).toHaveLength(1);
    });

    it('stores identical contents once', async () => {
      const payload = randomBytes(4096);
      const a = await store.put('one/a.bin', payload);
      const b = await store.put('two/b.bin', Readable.from([payload]));
      expect(a.digest).toBeDefined();
      expect(a.digest).toBe(b.digest);
      if (fx.contentObjectCount) expect(await fx.contentObjectCount()).toBe(1);
      await store.put('three/c.bin', 'different');
      if (fx.contentObjectCount) expect(await fx.contentObjectCount()).toBe(2);
      // Deleting one path must not take the shared contents away from the other.
      await store.delete('one/a.bin');
      expect(Buffer.compare(await readAll(await store.get('two/b.bin')), payload)).toBe(0);
    });

    it('leaves one complete version when puts to one path race', async () => {
      const versions = Array.from({ length: 12 }, (_, i) => `version ${i} `.repeat(1000 + i));
      await Promise.all(versions.map((v) => store.put('race.txt', v)));
      const text = (await readAll(await store.get('race.txt'))).toString();
      expect(versions).toContain(text);
      expect(await store.stat('race.txt')).toMatchObject({ size: Buffer.byteLength(text) });
    });

    it('stats files, directories and the root; null for nothing', async () => {
      await store.put('s/file.txt', 'hello');
      expect(await store.stat('s/file.txt')).toMatchObject({ path: 's/file.txt', isDir: false, size: 5 });
      expect(await store.stat('s')).toEqual({ path: 's', isDir: true });
      expect(await store.stat('s/')).toEqual({ path: 's', isDir: true });
      expect(await store.stat('')).toEqual({ path: '', isDir: true });
      expect(await store.stat('missing')).toBeNull();
      expect(await store.stat('s/file.txt/below')).toBeNull();
    });

    it('deletes a file and prunes directories it leaves empty', async () => {
      await store.put('x/y/z.txt', 'z');
      await store.put('x/keep.txt', 'k');
      await store.delete('x/y/z.txt');
      expect(await store.stat('x/y/z.txt')).toBeNull();
      expect(await store.stat('x/y')).toBeNull();
      expect(await store.list('x')).toEqual([expect.objectContaining({ path: 'x/keep.txt' })]);
      await store.delete('x/keep.txt');
      expect(await store.list('')).toEqual([]);
    });

    it('deletes a whole directory tree', async () => {
      await store.put('t/a.txt', 'a');
      await store.put('t/sub/b.txt', 'b');
      await store.put('other.txt', 'o');
      await store.delete('t');
      expect(await store.stat('t')).toBeNull();
      await expectCode(store.get('t/sub/b.txt'), 'NOT_FOUND');
      expect(await store.list('')).toEqual([expect.objectContaining({ path: 'other.txt' })]);
    });

    it('answers NOT_FOUND for a missing get or delete, and for get of a directory', async () => {
      await expectCode(store.get('missing.txt'), 'NOT_FOUND');
      await expectCode(store.delete('missing.txt'), 'NOT_FOUND');
      await store.put('d/f.txt', 'f');
      await expectCode(store.get('d'), 'NOT_FOUND');
      await store.delete('d/f.txt');
      await expectCode(store.delete('d/f.txt'), 'NOT_FOUND');
    });

    it('refuses to delete the root', async () => {
      await store.put('f.txt', 'f');
      await expectCode(store.delete(''), 'INVALID_ARGUMENT');
      await expectCode(store.delete('./'), 'INVALID_ARGUMENT');
      expect(await store.list('')).toHaveLength(1);
    });

    it('refuses a file where a directory is, and a directory under a file', async () => {
      await store.put('a', 'file');
      await expectCode(store.put('a/b', 'x'), 'INVALID_ARGUMENT');
      await store.put('d/e', 'x');
      await expectCode(store.put('d', 'x'), 'INVALID_ARGUMENT');
      expect((await readAll(await store.get('a'))).toString()).toBe('file');
      expect(await store.list('d')).toEqual([expect.objectContaining({ path: 'd/e' })]);
    });

    it.each(TRAVERSAL_PATHS)('refuses %j in every method and writes nothing', async (bad) => {
      await store.put('keep.txt', 'keep');
      const before = await fx.physicalEntries?.();
      await expectCode(store.put(bad, 'evil'), 'INVALID_ARGUMENT');
      await expectCode(store.put(`${bad}/y`, 'evil'), 'INVALID_ARGUMENT');
      await expectCode(store.get(bad), 'INVALID_ARGUMENT');
      await expectCode(store.stat(bad), 'INVALID_ARGUMENT');
      await expectCode(store.list(bad), 'INVALID_ARGUMENT');
      await expectCode(store.delete(bad), 'INVALID_ARGUMENT');
      expect(await fx.physicalEntries?.()).toEqual(before);
      expect(await store.list('')).toEqual([expect.objectContaining({ path: 'keep.txt' })]);
    });
  });
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a GyreError ${code}`).toBeInstanceOf(GyreError);
  expect((err as GyreError).code).toBe(code);
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

async function hashStream(stream: NodeJS.ReadableStream, onChunk: () => void): Promise<{ size: number; hex: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    hash.update(bytes);
    size += bytes.length;
    onChunk();
  }
  return { size, hex: hash.digest('hex') };
}

/**
 * 50 MB made as they are read and hashed on the way out, so the test never holds the whole file.
 * Chunks are views into one random pool at shifting offsets: every chunk differs (a reordering bug
 * shows) yet generating allocates nothing, so RSS growth measures the store, not the generator.
 */
function generatedStream(total: number): { stream: Readable; hex(): string } {
  const chunkSize = 64 * 1024;
  const pool = randomBytes(MB + 7);
  const hash = createHash('sha256');
  let sent = 0;
  let index = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const size = Math.min(chunkSize, total - sent);
      const offset = (index++ * 65_537) % (pool.length - size);
      const chunk = pool.subarray(offset, offset + size);
      hash.update(chunk);
      sent += size;
      this.push(chunk);
    },
  });
  let hex: string | undefined;
  return { stream, hex: () => (hex ??= hash.digest('hex')) };
}
