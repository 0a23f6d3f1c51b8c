/** Checks read options as they arrive (CLI, REST, SDK) so a typo is an error, not a silent default. */
import { invalidArgument } from '../core/errors.js';
import type { DataFormat, ReadOptions } from './entities.js';
import { formatOf } from './engine/load-table.js';

const FORMATS: DataFormat[] = ['csv', 'parquet', 'json', 'ndjson'];
const ENCODINGS = ['utf-8', 'utf-16', 'latin-1'];
const KEYS = new Set(['format', 'header', 'columns', 'delimiter', 'quote', 'skip', 'encoding', 'nullValues', 'trim']);

export function resolveReadOptions(raw: unknown, firstFile: string): ReadOptions & { format: DataFormat } {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (typeof o !== 'object' || Array.isArray(o)) throw invalidArgument('Read options must be an object.');
  const bad = (key: string, what: string) => invalidArgument(`Read option '${key}' ${what}, got ${JSON.stringify(o[key])}.`, { option: key });
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw invalidArgument(`Unknown read option '${k}'; known: ${[...KEYS].join(', ')}.`, { option: k });
  if (o.format !== undefined && !FORMATS.includes(o.format as DataFormat)) throw bad('format', `must be one of ${FORMATS.join(', ')}`);
  if (o.header !== undefined && typeof o.header !== 'boolean') throw bad('header', 'must be true or false');
  if (o.trim !== undefined && typeof o.trim !== 'boolean') throw bad('trim', 'must be true or false');
  if (o.columns !== undefined && !(Array.isArray(o.columns) && o.columns.every((c) => typeof c === 'string' && c !== ''))) throw bad('columns', 'must be a list of column names');
  if (o.nullValues !== undefined && !(Array.isArray(o.nullValues) && o.nullValues.every((c) => typeof c === 'string'))) throw bad('nullValues', 'must be a list of strings');
  for (const k of ['delimiter', 'quote'] as const) {
    if (o[k] !== undefined && !(typeof o[k] === 'string' && (o[k] as string).length === 1)) throw bad(k, 'must be a single character');
  }
  if (o.skip !== undefined && !(Number.isInteger(o.skip) && (o.skip as number) >= 0)) throw bad('skip', 'must be a non-negative integer');
  if (o.encoding !== undefined && !ENCODINGS.includes(o.encoding as string)) throw bad('encoding', `must be one of ${ENCODINGS.join(', ')}`);
  const opts = { ...(o as ReadOptions) };
  return { ...opts, format: formatOf(firstFile, opts.format) };
}
