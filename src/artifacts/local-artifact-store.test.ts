import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { artifactStoreContract, readAll } from './artifact-store.contract.js';
import { LocalArtifactStore } from './local-artifact-store.js';

/** Every file and directory under `dir`, relative and sorted ('/'-suffixed for directories). */
async function walk(dir: string, base = dir): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    const rel = relative(base, full).split('\\').join('/');
    if (e.isDirectory()) out.push(`${rel}/`, ...(await walk(full, base)));
    else out.push(rel);
  }
  return out.sort();
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await walk(dir)).filter((p) => !p.endsWith('/'));
}

// The store lives one level down so the walk of the sandbox also catches anything written beside it
// (which is where `../x` would land).
async function makeLocal(): Promise<{ sandbox: string; root: string; store: LocalArtifactStore }> {
  const sandbox = await mkdtemp(join(tmpdir(), 'gyre-artifacts-'));
  const root = join(sandbox, 'store');
  return { sandbox, root, store: new LocalArtifactStore(root) };
}

artifactStoreContract('LocalArtifactStore', async () => {
  const { sandbox, root, store } = await makeLocal();
  return {
    store,
    cleanup: () => rm(sandbox, { recursive: true, force: true }),
    physicalEntries: () => walk(sandbox),
    contentObjectCount: async () => (await filesUnder(join(root, 'objects'))).length,
  };
});

/** Emits `goodBytes` then fails, like a client connection dropping mid-upload. */
function failingSource(goodBytes: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= goodBytes) {
        this.destroy(new Error('upload connection reset'));
        return;
      }
      const chunk = Buffer.alloc(64 * 1024, 0x2a);
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

describe('LocalArtifactStore crash safety', () => {
  let sandbox: string;
  let root: string;
  let store: LocalArtifactStore;

  beforeEach(async () => {
    ({ sandbox, root, store } = await makeLocal());
  });
  afterEach(async () => {
    await rm(sandbox, { recursive: true, force: true });
  });

  it('a source that fails mid-write rejects the put and leaves nothing behind', async () => {
    await expect(store.put('runs/1/model.onnx', failingSource(1024 * 1024))).rejects.toThrow('upload connection reset');
    expect(await store.stat('runs/1/model.onnx')).toBeNull();
    expect(await store.stat('runs')).toBeNull();
    expect(await store.list('')).toEqual([]);
    expect(await filesUnder(join(root, 'tmp'))).toEqual([]);
    expect(await filesUnder(join(root, 'objects'))).toEqual([]);
    expect(await filesUnder(join(root, 'paths'))).toEqual([]);
  });

  it('a failed overwrite keeps the previous contents readable', async () => {
    await store.put('model.onnx', 'version one');
    await expect(store.put('model.onnx', failingSource(256 * 1024))).rejects.toThrow('upload connection reset');
    expect((await readAll(await store.get('model.onnx'))).toString()).toBe('version one');
    expect(await store.stat('model.onnx')).toMatchObject({ size: 11 });
    expect(await filesUnder(join(root, 'tmp'))).toEqual([]);
  });

  it('keeps contents and index apart on disk: objects by sha256, pointers by path', async () => {
    const info = await store.put('a/b.txt', 'hello');
    const hex = info.digest!.slice('sha256:'.length);
    expect(await walk(root)).toEqual(
      [
        'objects/',
        `objects/${hex.slice(0, 2)}/`,
        `objects/${hex.slice(0, 2)}/${hex.slice(2)}`,
        'paths/',
        'paths/a/',
        'paths/a/b.txt',
        'tmp/',
      ].sort(),
    );
  });

  it('ignores what a killed writer left behind: a half temp file and an object with no pointer', async () => {
    await store.put('x.txt', 'x');
    await writeFile(join(root, 'tmp', 'killed.part'), 'half of some');
    await mkdir(join(root, 'objects', 'ab'), { recursive: true });
    await writeFile(join(root, 'objects', 'ab', 'c'.repeat(62)), 'orphan');
    expect(await store.list('')).toEqual([expect.objectContaining({ path: 'x.txt' })]);
    await store.put('y.txt', 'y');
    expect((await store.list('')).map((f) => f.path)).toEqual(['x.txt', 'y.txt']);
  });
});
