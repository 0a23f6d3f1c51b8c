/**
 * Opaque keyset cursors: the sort values of the last row returned plus a fingerprint of the query
 * they belong to, base64url-encoded. A token used with a different query is refused rather than
 * silently returning the wrong page.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from '../../core/errors.js';

type CursorValue = string | number;

function fingerprint(scope: string): string {
  return createHash('sha256').update(scope).digest('base64url').slice(0, 12);
}

export function encodeCursor(scope: string, values: CursorValue[]): string {
  return Buffer.from(JSON.stringify({ q: fingerprint(scope), v: values })).toString('base64url');
}

export function decodeCursor(token: string, scope: string): CursorValue[] {
  let parsed: { q?: unknown; v?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q?: unknown; v?: unknown };
  } catch {
    throw invalidArgument(`page_token '${token.slice(0, 40)}' is not a token Gyre issued. Pass the next_page_token of the previous response unchanged.`);
  }
  if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.v) || parsed.v.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
    throw invalidArgument('page_token is malformed. Pass the next_page_token of the previous response unchanged.');
  }
  if (parsed.q !== fingerprint(scope)) {
    throw invalidArgument('page_token belongs to a different query (filter, order, experiments or key changed). Start again without a page_token.');
  }
  return parsed.v as CursorValue[];
}
