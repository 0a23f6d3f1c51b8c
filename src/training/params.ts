import { invalidArgument } from '../core/errors.js';

/** One parameter's rule: its default and the range a user may set. */
export interface ParamRule {
  readonly default: number | boolean | string | null;
  readonly check: (v: unknown) => boolean;
  readonly range: string;
}

export const num = (lo: number, hi: number, opts: { loOpen?: boolean; int?: boolean; nullable?: boolean } = {}) =>
  (v: unknown): boolean =>
    (opts.nullable === true && v === null) ||
    (typeof v === 'number' && Number.isFinite(v) && (opts.loOpen ? v > lo : v >= lo) && v <= hi && (!opts.int || Number.isInteger(v)));

/**
 * Merges user parameters over the defaults, rejecting unknown names (with the valid ones listed)
 * and values out of range, so a typo never trains silently with a default.
 */
export function resolveParams<T>(rules: Readonly<Record<string, ParamRule>>, given: Readonly<Record<string, unknown>> | undefined, trainer: string): T {
  const out: Record<string, unknown> = {};
  for (const [k, r] of Object.entries(rules)) out[k] = r.default;
  for (const [k, v] of Object.entries(given ?? {})) {
    const rule = rules[k];
    if (!rule) throw invalidArgument(`Unknown ${trainer} parameter '${k}'.`, { parameter: k, valid: Object.keys(rules) });
    if (v === undefined) continue;
    if (!rule.check(v)) throw invalidArgument(`${trainer} parameter '${k}' must be ${rule.range}; got ${JSON.stringify(v)}.`, { parameter: k, value: v, range: rule.range });
    out[k] = v;
  }
  return out as T;
}
