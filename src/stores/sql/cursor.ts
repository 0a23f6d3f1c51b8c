/**
 * Opaque keyset cursors: the sort values of the last row returned plus a fingerprint of the query
 * they belong to, base64url-encoded. A token used with a different query is refused rather than
 * silently returning the wrong page. ±Infinity (a metric value) has no JSON number, so it travels
 * as `{"inf": 1}` or `{"inf": -1}`.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from '../../core/errors.js';

type CursorValue = string | number;

function fingerprint(scope: string): string {
  return createHash('sha256').update(scope).digest('base64url').slice(0, 12);
}

type EncodedValue = CursorValue | { inf: 1 | -1 };

const encodeValue = (x: CursorValue): EncodedValue => (typeof x === 'number' && !Number.isFinite(x) ? { inf: x > 0 ? 1 : -1 } : x);

function decodeValue(x: unknown): CursorValue | undefined {
  if (typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))) return x;
  if (x && typeof x === 'object' && 'inf' in x && (x.inf === 1 || x.inf === -1)) return x.inf * Infinity;
  return undefined;
}

export function encodeCursor(scope: string, values: CursorValue[]): string {
  return Buffer.from(JSON.stringify({ q: fingerprint(scope), v: values.map(encodeValue) })).toString('base64url');
}

export function decodeCursor(token: string, scope: string): CursorValue[] {
  let parsed: { q?: unknown; v?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q?: unknown; v?: unknown };
  } catch {
    throw invalidArgument(`page_token '${token.slice(0, 40)}' is not a token Gyre issued. Pass the next_page_token of the previous response unchanged.`);
  }
  const values = parsed && typeof parsed === 'object' && Array.isArray(parsed.v) ? parsed.v.map(decodeValue) : null;
  if (!values || values.some((x) => x === undefined)) {
    throw invalidArgument('page_token is malformed. Pass the next_page_token of the previous response unchanged.');
  }
  if (parsed.q !== fingerprint(scope)) {
    throw invalidArgument('page_token belongs to a different query (filter, order, experiments or key changed). Start again without a page_token.');
  }
  return values as CursorValue[];
}
