/** Durations in pipeline files: a number of milliseconds or `500ms`, `30s`, `5m`, `2h`. */
import { invalidArgument } from '../core/errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(step: string, field: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0) return value;
  const m = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(value.trim()) : null;
  if (!m) throw invalidArgument(`Step '${step}': \`${field}\` must be milliseconds or a duration like 500ms, 30s, 5m, 2h; got ${JSON.stringify(value)}.`, { step, field });
  return Number(m[1]) * UNITS[m[2]!]!;
}
