/** Query-string readers shared by the native routes: a repeated key yields its first value, or the list. */
import { invalidArgument } from '../../core/errors.js';

export type Query = Record<string, string | string[] | undefined>;

export function intQuery(q: Query, field: string): number | undefined {
  const v = q[field];
  if (v === undefined) return undefined;
  const s = Array.isArray(v) ? v[0]! : v;
  if (!/^\d+$/.test(s)) throw invalidArgument(`Query parameter '${field}' must be a non-negative integer, got '${s}'.`, { field });
  return Number(s);
}

export const strQuery = (q: Query, field: string): string | undefined => {
  const v = q[field];
  return Array.isArray(v) ? v[0] : v;
};

export const listQuery = (q: Query, field: string): string[] | undefined => {
  const v = q[field];
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
};
