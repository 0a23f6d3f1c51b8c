import { invalidArgument } from '../../core/errors.js';
import { createFrame } from './frame.js';
import type { Column, Frame } from './frame.js';

export interface CsvOptions {
  /** Field separator; fields are trimmed, so Adult's `, ` works with ','. Default ','. */
  separator?: string;
  /** true: the first data line names the columns (default); or the names themselves. */
  header?: boolean | readonly string[];
  /** Field values read as missing. Default ['', '?', 'NA', 'NaN']. */
  missing?: readonly string[];
  /** Lines starting with this are skipped (Adult's test file starts with `|1x3 Cross validator`). Default '|'. */
  commentPrefix?: string;
  /** Force a column's type; otherwise a column whose present values all parse as numbers is numeric. */
  types?: Readonly<Record<string, 'numeric' | 'categorical'>>;
}

/**
 * A minimal CSV reader for tests and benchmarks: no quoting, one record per line. Real data arrives
 * through the data domain; this stays small on purpose.
 */
export function parseCsv(text: string, options: CsvOptions = {}): Frame {
  const sep = options.separator ?? ',';
  const missing = new Set(options.missing ?? ['', '?', 'NA', 'NaN']);
  const comment = options.commentPrefix ?? '|';
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !(comment && l.startsWith(comment)));
  let names: string[];
  if (Array.isArray(options.header)) names = [...options.header];
  else if (options.header === false) names = (lines[0] ?? '').split(sep).map((_, i) => `c${i}`);
  else names = (lines.shift() ?? '').split(sep).map((s) => s.trim());
  if (names.length === 0 || names[0] === '') throw invalidArgument('CSV has no columns.');
  const cells: string[][] = names.map(() => new Array<string>(lines.length));
  lines.forEach((line, r) => {
    const fields = line.split(sep);
    if (fields.length !== names.length) throw invalidArgument(`CSV line ${r + 1} has ${fields.length} fields, expected ${names.length}.`, { line: r + 1 });
    for (let c = 0; c < fields.length; c++) cells[c][r] = fields[c].trim();
  });
  const columns = names.map((name, c): Column => {
    const raw = cells[c];
    const forced = options.types?.[name];
    const numeric = forced ? forced === 'numeric' : raw.every((v) => missing.has(v) || Number.isFinite(Number(v)));
    if (numeric) {
      const values = new Float64Array(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const v = raw[i];
        values[i] = missing.has(v) ? NaN : Number(v);
        if (!missing.has(v) && Number.isNaN(values[i])) throw invalidArgument(`Column '${name}' is numeric but line ${i + 1} holds '${v}'.`, { column: name });
      }
      return { kind: 'numeric', name, values };
    }
    const index = new Map<string, number>();
    const codes = new Int32Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i];
      if (missing.has(v)) { codes[i] = -1; continue; }
      let code = index.get(v);
      if (code === undefined) index.set(v, (code = index.size));
      codes[i] = code;
    }
    return { kind: 'categorical', name, codes, categories: [...index.keys()] };
  });
  return createFrame(columns);
}
