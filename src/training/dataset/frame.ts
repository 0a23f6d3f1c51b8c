import { invalidArgument } from '../../core/errors.js';

/** A numeric column: NaN marks a missing value. */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

/** A categorical column: codes index `categories`; -1 marks a missing value. */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly codes: Int32Array;
  readonly categories: readonly string[];
}

export type Column = NumericColumn | CategoricalColumn;

/**
 * A small typed columnar table: the trainers' only input. The data domain hands frames over; the
 * CSV loader beside this file exists for tests and benchmarks.
 */
export interface Frame {
  readonly nRows: number;
  readonly columns: readonly Column[];
}

export function createFrame(columns: readonly Column[]): Frame {
  const nRows = columns.length === 0 ? 0 : columnLength(columns[0]);
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw invalidArgument(`Duplicate column name '${c.name}'.`, { column: c.name });
    seen.add(c.name);
    if (columnLength(c) !== nRows) throw invalidArgument(`Column '${c.name}' has ${columnLength(c)} rows, expected ${nRows}.`, { column: c.name });
  }
  return { nRows, columns };
}

export const columnLength = (c: Column): number => (c.kind === 'numeric' ? c.values.length : c.codes.length);

export function getColumn(frame: Frame, name: string): Column {
  const c = frame.columns.find((col) => col.name === name);
  if (!c) throw invalidArgument(`Unknown column '${name}'.`, { column: name, columns: frame.columns.map((col) => col.name) });
  return c;
}

/** The rows at `indices`, in that order (for splits and subsets). */
export function selectRows(frame: Frame, indices: ArrayLike<number>): Frame {
  const n = indices.length;
  const columns = frame.columns.map((c): Column => {
    if (c.kind === 'numeric') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = c.values[indices[i]];
      return { kind: 'numeric', name: c.name, values };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = c.codes[indices[i]];
    return { kind: 'categorical', name: c.name, codes, categories: c.categories };
  });
  return { nRows: n, columns };
}

/** Reads a numeric column as categorical (its distinct values as strings), e.g. `season` 1-4. */
export function asCategorical(c: Column): CategoricalColumn {
  if (c.kind === 'categorical') return c;
  const index = new Map<number, number>();
  const distinct = [...new Set(Array.from(c.values).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  distinct.forEach((v, i) => index.set(v, i));
  const codes = new Int32Array(c.values.length);
  for (let i = 0; i < codes.length; i++) codes[i] = Number.isNaN(c.values[i]) ? -1 : (index.get(c.values[i]) as number);
  return { kind: 'categorical', name: c.name, codes, categories: distinct.map(String) };
}

/** Missing in raw values handed over from outside (data service, inference log): null or undefined. */
export const isNullish = (v: unknown): boolean => v === null || v === undefined;

/**
 * A column from raw values (numbers, text, nulls) as the trainers read it: numbers as float64 with
 * NaN for missing, anything else as categories in order of first appearance with -1 for missing.
 */
export function columnFromValues(name: string, values: readonly unknown[], numeric: boolean, isMissing: (v: unknown) => boolean = isNullish): Column {
  if (numeric) return { kind: 'numeric', name, values: Float64Array.from(values, (v) => (isMissing(v) ? Number.NaN : Number(v))) };
  const categories: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    if (isMissing(v)) return -1;
    const key = String(v);
    let code = index.get(key);
    if (code === undefined) index.set(key, (code = categories.push(key) - 1));
    return code;
  });
  return { kind: 'categorical', name, codes, categories };
}
