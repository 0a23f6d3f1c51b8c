/**
 * Turns what the user gave `data add` (a path or a glob) into the list of files and the version's
 * content digest. A single path is identified by its file's sha256; a glob by the sha256 of its
 * sorted `(relative name, file digest)` lines, so renaming, adding or removing a file is a new
 * version while the same bytes under the same names are the same version.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../core/errors.js';
import type { DataFile } from './entities.js';

export interface SourceFile extends DataFile {
  path: string;
}

const hasGlob = (s: string) => /[*?[]/.test(s);

export async function resolveSource(source: string): Promise<{ files: SourceFile[]; digest: string }> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !source.startsWith('file://')) {
    throw invalidArgument(`'${source}': data can be added from local paths, file:// URLs and Gyre's artifact store (mlflow-artifacts:/…).`, { source });
  }
  const local = source.startsWith('file://') ? new URL(source).pathname : source;
  if (!hasGlob(local)) {
    const stat = fs.statSync(local, { throwIfNoEntry: false });
    if (!stat) throw invalidArgument(`No file at '${source}'.`, { source });
    if (!stat.isFile()) throw invalidArgument(`'${source}' is not a file; to add every file in a folder use a glob such as '${path.join(source, '*.csv')}'.`, { source });
    const digest = await fileDigest(local);
    return { files: [{ path: path.resolve(local), name: path.basename(local), digest, size: stat.size }], digest };
  }
  const paths = expandGlob(local);
  if (paths.length === 0) throw invalidArgument(`No files match '${source}'.`, { source });
  const base = globBase(local);
  const files = await Promise.all(
    paths.map(async (p) => ({ path: p, name: path.relative(base, p).split(path.sep).join('/'), digest: await fileDigest(p), size: fs.statSync(p).size })),
  );
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const listing = files.map((f) => `${f.name}\t${f.digest}\n`).join('');
  return { files, digest: `sha256:${createHash('sha256').update(listing).digest('hex')}` };
}

export async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** The folder before the first wildcard segment. */
function globBase(pattern: string): string {
  const segs = path.resolve(pattern).split(path.sep);
  const i = segs.findIndex(hasGlob);
  return segs.slice(0, i).join(path.sep) || path.sep;
}

/** `*` and `?` within a segment, `**` across folders; files only, sorted. */
export function expandGlob(pattern: string): string[] {
  const base = globBase(pattern);
  const rest = path.relative(base, path.resolve(pattern)).split(path.sep).join('/');
  const re = new RegExp(
    `^${rest
      .split('/')
      .map((seg) => (seg === '**' ? '(?:.*/)?' : `${seg.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}/`))
      .join('')
      .replace(/\/$/, '')}$`,
  );
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), r);
      else if (entry.isFile() && re.test(r)) out.push(path.join(dir, entry.name));
    }
  };
  if (fs.existsSync(base)) walk(base, '');
  return out.sort();
}
