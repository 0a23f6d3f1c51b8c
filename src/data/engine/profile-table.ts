/**
 * Profiles table `data`: the statistics TFDV and Evidently report per column, computed by DuckDB
 * in a few passes (one aggregate for all columns, then a histogram or top-values query per
 * column). Stored with the version, so it serves later as a drift reference without re-reading.
 */
import type { ColumnProfile, ColumnSchema, HistogramBin, Profile, ValueCount } from '../entities.js';
import type { DuckSession } from './duckdb-session.js';
import { sqlIdent } from './duckdb-session.js';

export const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
export const quantileKey = (q: number): string => `p${String(Math.round(q * 100)).padStart(2, '0')}`;
const TOP_VALUES = 50;
const BINS = 10;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const isNumeric = (c: ColumnSchema) => c.type === 'integer' || c.type === 'number';

export async function profileTable(duck: DuckSession, schema: ColumnSchema[]): Promise<Profile> {
  const parts = ['count(*) AS __rows'];
  schema.forEach((c, i) => {
    const v = sqlIdent(c.name);
    parts.push(`count(${v}) AS n${i}`);
    // Text distinct counts come exact from the top-values group-by; others start as HyperLogLog.
    if (c.type !== 'string' && c.type !== 'boolean') parts.push(`approx_count_distinct(${v}) AS d${i}`);
    if (isNumeric(c)) {
      const d = `CAST(${v} AS DOUBLE)`;
      parts.push(`min(${d}) AS min${i}`, `max(${d}) AS max${i}`, `avg(${d}) AS mean${i}`, `stddev_samp(${d}) AS std${i}`, `approx_quantile(${d}, [${QUANTILES.join(', ')}]) AS q${i}`);
    } else if (c.type === 'date' || c.type === 'timestamp') {
      parts.push(`CAST(min(${v}) AS VARCHAR) AS min${i}`, `CAST(max(${v}) AS VARCHAR) AS max${i}`);
    } else if (c.type === 'string') {
      parts.push(`min(length(${v})) AS lmin${i}`, `max(length(${v})) AS lmax${i}`, `avg(length(${v})) AS lmean${i}`);
    }
  });
  const [agg] = await duck.all<Record<string, unknown>>(`SELECT ${parts.join(', ')} FROM data`);
  const rowCount = Number(agg.__rows);
  const columns: ColumnProfile[] = [];
  for (const [i, c] of schema.entries()) {
    const count = Number(agg[`n${i}`]);
    const p: ColumnProfile = { name: c.name, type: c.type, count, missing: rowCount - count, missingShare: rowCount ? (rowCount - count) / rowCount : 0, distinct: Number(agg[`d${i}`] ?? 0) };
    if (isNumeric(c)) {
      Object.assign(p, { min: num(agg[`min${i}`]), max: num(agg[`max${i}`]), mean: num(agg[`mean${i}`]), std: num(agg[`std${i}`]) });
      const qs = agg[`q${i}`] as unknown[] | null;
      if (qs) p.quantiles = Object.fromEntries(QUANTILES.map((q, k) => [quantileKey(q), Number(qs[k])]));
      if (count > 0) p.histogram = await histogram(duck, c.name, p.min as number, p.max as number);
    } else if (c.type === 'date' || c.type === 'timestamp') {
      Object.assign(p, { min: agg[`min${i}`] ?? null, max: agg[`max${i}`] ?? null });
    } else {
      const top = await topValues(duck, c.name, c.type === 'boolean');
      p.topValues = top.values;
      p.distinct = top.distinct;
      if (c.type === 'string' && count > 0) p.lengths = { min: Number(agg[`lmin${i}`]), max: Number(agg[`lmax${i}`]), mean: Number(agg[`lmean${i}`]) };
    }
    columns.push(p);
  }
  await exactDistinct(duck, columns);
  const [{ __dup }] = await duck.all<{ __dup: string }>('SELECT (SELECT count(*) FROM data) - (SELECT count(*) FROM (SELECT DISTINCT * FROM data)) AS __dup');
  return { rowCount, duplicateRows: Number(__dup), columns };
}

async function histogram(duck: DuckSession, column: string, min: number, max: number): Promise<HistogramBin[]> {
  const v = `CAST(${sqlIdent(column)} AS DOUBLE)`;
  if (!(max > min)) {
    const [{ __n }] = await duck.all<{ __n: string }>(`SELECT count(${v}) AS __n FROM data`);
    return [{ lower: min, upper: max, count: Number(__n) }];
  }
  const width = (max - min) / BINS;
  // Positional GROUP BY/ORDER BY and `__` aliases: a data column may be called `b`, `n` or `value`.
  const rows = await duck.all<{ __bin: number; __n: string }>(
    `SELECT least(CAST(floor((${v} - ${min}) / ${width}) AS INTEGER), ${BINS - 1}) AS __bin, count(*) AS __n FROM data WHERE ${v} IS NOT NULL AND isfinite(${v}) GROUP BY 1`,
  );
  const counts = new Map(rows.map((r) => [Number(r.__bin), Number(r.__n)]));
  return Array.from({ length: BINS }, (_, b) => ({ lower: min + b * width, upper: b === BINS - 1 ? max : min + (b + 1) * width, count: counts.get(b) ?? 0 }));
}

async function topValues(duck: DuckSession, column: string, boolean: boolean): Promise<{ values: ValueCount[]; distinct: number }> {
  const v = sqlIdent(column);
  const rows = await duck.all<{ __value: unknown; __n: string; __d: string }>(
    `SELECT ${v} AS __value, count(*) AS __n, count(*) OVER () AS __d FROM data WHERE ${v} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP_VALUES}`,
  );
  return { values: rows.map((r) => ({ value: boolean ? r.__value === true : String(r.__value), count: Number(r.__n) })), distinct: Number(rows[0]?.__d ?? 0) };
}

/**
 * Exact distinct counts where they decide something: integer columns that look unique (an id is
 * then inferred as unique) and columns with few values. Others keep the HyperLogLog estimate
 * (within a few percent), marked `distinctApproximate`: an exact count of a million distinct
 * doubles costs more than the rest of the profile.
 */
async function exactDistinct(duck: DuckSession, columns: ColumnProfile[]): Promise<void> {
  const todo = columns.filter((p) => p.type !== 'string' && p.type !== 'boolean' && ((p.type === 'integer' && p.distinct >= 0.97 * p.count) || p.distinct <= 10_000));
  if (todo.length) {
    const [row] = await duck.all<Record<string, string>>(`SELECT ${todo.map((p, k) => `count(DISTINCT ${sqlIdent(p.name)}) AS __d${k}`).join(', ')} FROM data`);
    todo.forEach((p, k) => (p.distinct = Number(row[`__d${k}`])));
  }
  for (const p of columns) if (p.type !== 'string' && p.type !== 'boolean' && !todo.includes(p)) p.distinctApproximate = true;
}
