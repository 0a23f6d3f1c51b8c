import type { Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';

/** The errno code of a Node fs error, or undefined for anything else. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** lstat that answers null when nothing is there (or a parent is a file, which means the same). */
export async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * Flushes a file's bytes to disk. Without it a power cut after the rename can leave a real name
 * pointing at an empty or partial file on filesystems that reorder metadata before data.
 */
export async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Flushes a directory entry (a rename) to disk, so a pointer can never outlive the object it names.
 * Best effort: some platforms (Windows) cannot open or fsync a directory, and there the rename is
 * already as durable as the OS offers.
 */
export async function fsyncDir(path: string): Promise<void> {
  let fh;
  try {
    fh = await open(path, 'r');
    await fh.sync();
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw err;
  } finally {
    await fh?.close();
  }
}
