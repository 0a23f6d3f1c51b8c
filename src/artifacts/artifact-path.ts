import { invalidArgument } from '../core/errors.js';

export interface NormalizeArtifactPathOptions {
  /** Accept the root ('', '.', './') and return it as ''. */
  allowEmpty?: boolean;
}

// Most filesystems cap one name at 255 bytes; refusing here gives a clear error instead of ENAMETOOLONG.
const MAX_SEGMENT_BYTES = 255;

// Percent decoding happens at the HTTP edge, but a path that was encoded twice (or a client that
// sends `%2e%2e` expecting a server to decode it later) must not sneak a traversal past us.
// Two extra rounds cover `%2e` and `%252e`.
const DECODE_ROUNDS = 2;

/**
 * Turns a user-supplied artifact path into the canonical form every store uses: POSIX separators,
 * relative, no `.` segments, no duplicate or trailing slashes ('' is the root when `allowEmpty`).
 * Throws INVALID_ARGUMENT, saying why, for anything that could address a place outside the store.
 *
 * Percent signs are kept literally (`a%20b` stays `a%20b`): decoding is only used to detect paths
 * that *would* turn into a traversal, an absolute path, a separator or a NUL if someone decoded them.
 *
 * @example normalizeArtifactPath('model//./weights/') // 'model/weights'
 */
export function normalizeArtifactPath(input: string, opts: NormalizeArtifactPathOptions = {}): string {
  if (typeof input !== 'string') {
    throw invalidArgument('Artifact path must be a string', { path: input });
  }
  checkUnsafe(input, input, false);
  let variant = input;
  for (let round = 0; round < DECODE_ROUNDS; round++) {
    const decoded = percentDecodeAscii(variant);
    if (decoded === variant) break;
    checkUnsafe(decoded, input, true);
    variant = decoded;
  }

  const segments = input.split('/').filter((s) => s !== '' && s !== '.');
  for (const segment of segments) {
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      throw invalidArgument(`Artifact path segment is longer than ${MAX_SEGMENT_BYTES} bytes`, {
        path: input,
        segment: segment.slice(0, 32) + '…',
      });
    }
  }
  const normalized = segments.join('/');
  if (normalized === '' && !opts.allowEmpty) {
    throw invalidArgument('Artifact path must name a file or directory; it is empty', { path: input });
  }
  return normalized;
}

function checkUnsafe(candidate: string, original: string, decoded: boolean): void {
  const details = { path: original };
  const how = decoded ? 'once percent-decoded, ' : '';
  if (candidate.includes('\0')) {
    throw invalidArgument(`Artifact path ${how}contains a NUL byte`, details);
  }
  if (candidate.includes('\\')) {
    throw invalidArgument(
      `Artifact path ${how}contains a backslash; separate directories with '/'`,
      details,
    );
  }
  if (candidate.startsWith('/') || /^[A-Za-z]:/.test(candidate)) {
    throw invalidArgument(`Artifact path ${how}is absolute; give a path relative to the artifact root`, details);
  }
  if (candidate.split('/').includes('..')) {
    throw invalidArgument(`Artifact path ${how}contains a '..' segment`, details);
  }
  // `a%2fb` is one name to a filesystem but two to an object store; refuse rather than guess.
  if (decoded && count(candidate, '/') !== count(original, '/')) {
    throw invalidArgument("Artifact path contains a percent-encoded '/'; use a literal '/'", details);
  }
}

/** Decodes only `%XX` escapes of ASCII bytes, never throws (unlike decodeURIComponent on `100%`). */
function percentDecodeAscii(s: string): string {
  return s.replace(/%([0-7][0-9a-fA-F])/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}
