/**
 * Drift between two tables: every column the two share, its default test (or the one asked for),
 * then the dataset verdict. Columns only on one side are reported, not tested.
 */
import type { ColumnSchema } from '../../data/entities.js';
import { columnDrift, datasetDrift } from './column-drift.js';
import type { ColumnDriftOptions, DatasetDrift } from './column-drift.js';
import { invalidArgument } from '../../core/errors.js';

export interface Table {
  label: string;
  schema: ColumnSchema[];
  columns: Record<string, unknown[]>;
}

export interface DriftReport extends DatasetDrift {
  reference: string;
  current: string;
  /** Columns present on one side only (a renamed or dropped column shows here). */
  onlyInReference: string[];
  onlyInCurrent: string[];
}

const NUMERIC = new Set(['integer', 'number']);

export function driftReport(reference: Table, current: Table, options: { columns?: string[]; perColumn?: Record<string, ColumnDriftOptions>; shareThreshold?: number } = {}): DriftReport {
  const curTypes = new Map(current.schema.map((c) => [c.name, c.type]));
  const refNames = reference.schema.map((c) => c.name);
  const shared = reference.schema.filter((c) => curTypes.has(c.name));
  for (const c of options.columns ?? []) if (!shared.some((s) => s.name === c)) throw invalidArgument(`Column '${c}' is not in both datasets; shared columns: ${shared.map((s) => s.name).join(', ')}.`, { column: c });
  const chosen = options.columns?.length ? shared.filter((c) => options.columns!.includes(c.name)) : shared;
  const results = chosen.flatMap((c) => {
    const numeric = NUMERIC.has(c.type) && NUMERIC.has(curTypes.get(c.name)!);
    try {
      return [columnDrift(c.name, reference.columns[c.name]!, current.columns[c.name]!, numeric, options.perColumn?.[c.name])];
    } catch (err) {
      // An all-missing column cannot be tested; it is a data-quality finding, not a crash.
      if ((err as { code?: string }).code === 'INVALID_ARGUMENT' && /no non-missing values/.test((err as Error).message)) return [];
      throw err;
    }
  });
  return {
    reference: reference.label,
    current: current.label,
    ...datasetDrift(results, options.shareThreshold),
    onlyInReference: refNames.filter((n) => !curTypes.has(n)),
    onlyInCurrent: current.schema.map((c) => c.name).filter((n) => !refNames.includes(n)),
  };
}
