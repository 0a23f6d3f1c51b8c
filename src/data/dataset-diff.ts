/** Compares two versions from their recorded metadata alone (no data is re-read). */
import type { ColumnProfile, ColumnType, DatasetVersion } from './entities.js';

export interface ColumnChange {
  column: string;
  type?: { from: ColumnType; to: ColumnType };
  missingShare?: { from: number; to: number };
  distinct?: { from: number; to: number };
  mean?: { from: number | null | undefined; to: number | null | undefined };
  /** Categories present in one version's top values and not the other's. */
  newValues?: unknown[];
  removedValues?: unknown[];
}

export interface DatasetDiff {
  from: { name: string; version: number; digest: string };
  to: { name: string; version: number; digest: string };
  sameContent: boolean;
  rowCount: { from: number; to: number; change: number };
  addedColumns: string[];
  removedColumns: string[];
  changedColumns: ColumnChange[];
  files: { added: string[]; removed: string[]; changed: string[] };
}

export function diffVersions(a: DatasetVersion, b: DatasetVersion): DatasetDiff {
  const colsA = new Map(a.profile.columns.map((c) => [c.name, c]));
  const colsB = new Map(b.profile.columns.map((c) => [c.name, c]));
  const changed: ColumnChange[] = [];
  for (const [name, ca] of colsA) {
    const cb = colsB.get(name);
    if (cb) {
      const ch = columnChange(ca, cb);
      if (Object.keys(ch).length > 1) changed.push(ch);
    }
  }
  const filesA = new Map(a.files.map((f) => [f.name, f.digest]));
  const filesB = new Map(b.files.map((f) => [f.name, f.digest]));
  return {
    from: { name: a.name, version: a.version, digest: a.digest },
    to: { name: b.name, version: b.version, digest: b.digest },
    sameContent: a.digest === b.digest,
    rowCount: { from: a.rowCount, to: b.rowCount, change: b.rowCount - a.rowCount },
    addedColumns: [...colsB.keys()].filter((c) => !colsA.has(c)),
    removedColumns: [...colsA.keys()].filter((c) => !colsB.has(c)),
    changedColumns: changed,
    files: {
      added: [...filesB.keys()].filter((f) => !filesA.has(f)),
      removed: [...filesA.keys()].filter((f) => !filesB.has(f)),
      changed: [...filesA.keys()].filter((f) => filesB.has(f) && filesB.get(f) !== filesA.get(f)),
    },
  };
}

function columnChange(a: ColumnProfile, b: ColumnProfile): ColumnChange {
  const ch: ColumnChange = { column: a.name };
  if (a.type !== b.type) ch.type = { from: a.type, to: b.type };
  if (Math.abs(a.missingShare - b.missingShare) > 1e-9) ch.missingShare = { from: a.missingShare, to: b.missingShare };
  if (a.distinct !== b.distinct) ch.distinct = { from: a.distinct, to: b.distinct };
  if (a.mean !== b.mean && (a.mean !== undefined || b.mean !== undefined)) ch.mean = { from: a.mean, to: b.mean };
  if (a.topValues && b.topValues) {
    const va = new Set(a.topValues.map((t) => t.value));
    const vb = new Set(b.topValues.map((t) => t.value));
    const added = [...vb].filter((x) => !va.has(x));
    const removed = [...va].filter((x) => !vb.has(x));
    if (added.length) ch.newValues = added;
    if (removed.length) ch.removedValues = removed;
  }
  return ch;
}
