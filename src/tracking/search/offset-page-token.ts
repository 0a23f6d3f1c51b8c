import { createHash } from 'node:crypto';

/**
 * Offset page tokens shared by every in-memory search (experiments, registered models, model
 * versions). A token is base64url JSON `{ q, o }`: `q` fingerprints the query it was issued for
 * so a token replayed against a changed filter or order is refused instead of paging wrongly;
 * `o` is the offset of the next page. Callers word their own errors, since each names its endpoint.
 */

/** Fingerprint of a query's defining parts (scope, raw filter and order texts, view type…). */
export function queryFingerprint(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeOffsetToken(query: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: query, o: offset })).toString('base64url');
}

/** The token's query fingerprint and offset, or null when it is not a token Gyre issued. */
export function readOffsetToken(token: string): { query: string; offset: number } | null {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const { q, o } = body as { q?: unknown; o?: unknown };
  if (typeof q !== 'string' || typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) return null;
  return { query: q, offset: o };
}
