/**
 * Reads data files into the DuckDB table `data`, in file order (so `rowid + 1` is the 1-based data
 * row), applying the dataset's read options: CSV dialect, null markers and whitespace trimming.
 *
 * CSV columns are typed by DuckDB's reader (fast, from a sample); when a later value does not fit,
 * the file is re-read as text and typed here from every value. Text columns are re-checked after
 * null markers and padding are cleaned, since those can hide numbers (Adult's `, ?`). A version's
 * recorded schema is applied as is when it is re-read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument, isGyreError } from '../../core/errors.js';
import type { ColumnSchema, ColumnType, DataFormat, ReadOptions } from '../entities.js';
import type { DuckSession } from './duckdb-session.js';
import { sqlIdent, sqlList, sqlString } from './duckdb-session.js';
import { findCsvProblem } from './csv-problem.js';

export type ResolvedReadOptions = ReadOptions & { format: DataFormat };

const DUCK_TYPE: Record<ColumnType, string> = { integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP', string: 'VARCHAR' };

export function formatOf(file: string, format?: DataFormat): DataFormat {
  if (format) return format;
  const ext = path.extname(file).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.jsonl' || ext === '.ndjson') return 'ndjson';
  if (ext === '.json') return 'json';
  return 'csv';
}

/** Loads `files` (all of one format and shape) into table `data`; returns its schema. */
export async function loadTable(duck: DuckSession, files: string[], opts: ResolvedReadOptions, known?: ColumnSchema[]): Promise<ColumnSchema[]> {
  for (const f of files) {
    if (fs.statSync(f).size === 0) throw invalidArgument(`File '${f}' is empty: there is nothing to read.`, { file: f });
  }
  let allText = false;
  try {
    try {
      await createDataTable(duck, sourceSelect(files, opts, false), opts);
    } catch (err) {
      // DuckDB types CSV columns from a sample; a later value that does not fit is a conversion
      // error, not bad input: read everything as text and type it here from every value instead.
      if (opts.format !== 'csv' || !/convert|conversion/i.test((err as Error).message)) throw err;
      allText = true;
      await createDataTable(duck, sourceSelect(files, opts, true), opts);
    }
  } catch (err) {
    if (isGyreError(err)) throw err;
    throw await readError(err as Error, files, opts);
  }
  const [{ __n }] = await duck.all<{ __n: string }>('SELECT count(*) AS __n FROM data');
  if (Number(__n) === 0) throw invalidArgument(`${files.join(', ')} has a header but no data rows.`, { files });
  const current = (await duck.all<{ column_name: string; column_type: string }>('DESCRIBE data')).map((r) => ({ name: r.column_name, type: logicalType(r.column_type) }));
  if (known) {
    for (const c of known) {
      const now = current.find((x) => x.name === c.name);
      if (!now) throw invalidArgument(`Column '${c.name}' of the recorded schema is missing from ${files.join(', ')}.`, { column: c.name });
      if (now.type !== c.type) await retype(duck, c);
    }
    return known;
  }
  // Text columns can hide numbers, dates or booleans behind null markers and padding: now that
  // those are cleaned, type them from every value. A column DuckDB typed as text on its own saw
  // values of no other type, so with no clean-up to undo it stays text. Parquet and JSON keep theirs.
  const recheck = opts.format === 'csv' && (allText || opts.trim || (opts.nullValues?.length ?? 0) > 0);
  const text = recheck ? current.filter((c) => c.type === 'string').map((c) => c.name) : [];
  const inferred = text.length ? await inferTextTypes(duck, text) : [];
  for (const c of inferred) if (c.type !== 'string') await retype(duck, c);
  return current.map((c) => inferred.find((i) => i.name === c.name) ?? c);
}

async function createDataTable(duck: DuckSession, source: string, opts: ReadOptions): Promise<void> {
  const raw = await duck.all<{ column_name: string; column_type: string }>(`DESCRIBE ${source}`);
  if (raw.length === 0) throw invalidArgument('No columns found.');
  const select = raw.map((r) => `${normalised(cleaned(sqlIdent(r.column_name), r.column_type, opts), r.column_type)} AS ${sqlIdent(r.column_name)}`);
  await duck.run(`CREATE OR REPLACE TABLE data AS SELECT ${select.join(', ')} FROM (${source})`);
}

/** Types with no Gyre equivalent become the nearest one (wide integers and decimals: numbers; nested: JSON text). */
function normalised(expr: string, duckType: string): string {
  const t = duckType.toUpperCase();
  if (/^(HUGEINT|UHUGEINT|UBIGINT|DECIMAL)/.test(t)) return `CAST(${expr} AS DOUBLE)`;
  if (logicalType(t) === 'string' && t !== 'VARCHAR') return `CAST(${expr} AS VARCHAR)`;
  return expr;
}

async function retype(duck: DuckSession, c: ColumnSchema): Promise<void> {
  const col = sqlIdent(c.name);
  const using = c.type === 'boolean' ? `(lower(CAST(${col} AS VARCHAR)) = 'true')` : `TRY_CAST(${col} AS ${DUCK_TYPE[c.type]})`;
  await duck.run(`ALTER TABLE data ALTER ${col} SET DATA TYPE ${DUCK_TYPE[c.type]} USING ${using}`);
}

function sourceSelect(files: string[], opts: ResolvedReadOptions, allText: boolean): string {
  const list = sqlList(files);
  switch (opts.format) {
    case 'parquet':
      return `SELECT * FROM read_parquet(${list})`;
    case 'json':
      return `SELECT * FROM read_json(${list}, format = 'auto')`;
    case 'ndjson':
      return `SELECT * FROM read_json(${list}, format = 'newline_delimited')`;
    case 'csv': {
      const args = [
        `header = ${opts.header ?? true}`,
        `delim = ${sqlString(opts.delimiter ?? ',')}`,
        `quote = ${sqlString(opts.quote ?? '"')}`,
        `escape = ${sqlString(opts.quote ?? '"')}`,
        `skip = ${opts.skip ?? 0}`,
        `encoding = ${sqlString(opts.encoding ?? 'utf-8')}`,
        `nullstr = ${sqlList(nullStrings(opts))}`,
        ...(allText ? ['all_varchar = true'] : []),
        'strict_mode = true',
        ...(opts.columns?.length ? [`names = ${sqlList(opts.columns)}`] : []),
      ];
      return `SELECT * FROM read_csv(${list}, ${args.join(", ")})`;
    }
  }
}

/**
 * Null markers handed to DuckDB's reader, so a numeric column with `?` for missing still reads as
 * numbers. With trimming on, a marker after the usual one space (`, ?`) is a marker too; other
 * padding is caught by the SQL clean-up below.
 */
function nullStrings(opts: ReadOptions): string[] {
  const markers = opts.nullValues ?? [];
  return ['', ...markers, ...(opts.trim ? markers.flatMap((m) => [` ${m}`, `${m} `, ` ${m} `]) : [])];
}

/** Trimming and null markers apply to text columns only. */
function cleaned(col: string, sourceType: string, opts: ReadOptions): string {
  if (sourceType !== 'VARCHAR') return col;
  const v = opts.trim ? `trim(${col})` : col;
  const markers = opts.nullValues ?? [];
  return markers.length ? `CASE WHEN ${v} IN (${markers.map(sqlString).join(', ')}) THEN NULL ELSE ${v} END` : v;
}

export function logicalType(duckType: string): ColumnType {
  const t = duckType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(t)) return 'integer';
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL)/.test(t)) return 'number';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'string';
}

const CANDIDATES: [ColumnType, (v: string) => string][] = [
  ['integer', (v) => `regexp_full_match(${v}, '[-+]?[0-9]+') AND TRY_CAST(${v} AS BIGINT) IS NOT NULL`],
  ['number', (v) => `TRY_CAST(${v} AS DOUBLE) IS NOT NULL`],
  ['boolean', (v) => `lower(${v}) IN ('true', 'false')`],
  ['date', (v) => `regexp_full_match(${v}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(${v} AS DATE) IS NOT NULL`],
  ['timestamp', (v) => `regexp_matches(${v}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]') AND TRY_CAST(${v} AS TIMESTAMP) IS NOT NULL`],
];

/** The narrowest type every non-missing value of each text column parses as. */
async function inferTextTypes(duck: DuckSession, columns: string[]): Promise<ColumnSchema[]> {
  const parts = columns.flatMap((name, i) => {
    const v = sqlIdent(name);
    return [`count(${v}) AS n${i}`, ...CANDIDATES.map(([, test], k) => `bool_and(${v} IS NULL OR (${test(v)})) AS c${i}_${k}`)];
  });
  const [row] = await duck.all<Record<string, unknown>>(`SELECT ${parts.join(', ')} FROM data`);
  return columns.map((name, i) => {
    if (Number(row[`n${i}`]) === 0) return { name, type: 'string' as const };
    const k = CANDIDATES.findIndex((_, j) => row[`c${i}_${j}`] === true);
    return { name, type: k >= 0 ? CANDIDATES[k][0] : 'string' };
  });
}

async function readError(err: Error, files: string[], opts: ResolvedReadOptions): Promise<Error> {
  const first = err.message.split('\n')[0];
  if (opts.format === 'csv') {
    for (const file of files) {
      const problem = await findCsvProblem(file, { delimiter: opts.delimiter ?? ',', quote: opts.quote ?? '"', skip: opts.skip ?? 0, checkUtf8: (opts.encoding ?? 'utf-8') === 'utf-8' });
      if (problem) return invalidArgument(`${file}, line ${problem.line}: ${problem.message}.`, { file, line: problem.line });
    }
    const m = /CSV Error on Line: (\d+)/.exec(err.message);
    if (m) return invalidArgument(`${files.length === 1 ? files[0] : files.join(', ')}, line ${m[1]}: ${err.message.split('\n').slice(1, 4).join(' ').trim()}`, { files, line: Number(m[1]) });
  }
  return invalidArgument(`Cannot read ${files.join(', ')} as ${opts.format}: ${first}`, { files, format: opts.format });
}
