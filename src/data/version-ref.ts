/**
 * `NAME@N`, `NAME@<digest prefix>`, `NAME@latest` (and bare `NAME`, meaning latest). All-digit
 * references are sequence numbers; write `NAME@sha256:1234` to force a digest prefix of digits.
 */
import { invalidArgument } from '../core/errors.js';

export type VersionSelector = { kind: 'latest' } | { kind: 'number'; version: number } | { kind: 'digest'; prefix: string };

export interface VersionRef {
  name: string;
  selector: VersionSelector;
}

const MIN_PREFIX = 4;

export function parseVersionRef(ref: string): VersionRef {
  const at = ref.lastIndexOf('@');
  const name = at < 0 ? ref : ref.slice(0, at);
  const sel = at < 0 ? 'latest' : ref.slice(at + 1);
  checkDatasetName(name);
  if (sel === 'latest' || sel === '') return { name, selector: { kind: 'latest' } };
  if (/^\d+$/.test(sel) && Number(sel) >= 1) return { name, selector: { kind: 'number', version: Number(sel) } };
  const hex = sel.toLowerCase().replace(/^sha256:/, '');
  if (/^[0-9a-f]+$/.test(hex) && hex.length >= MIN_PREFIX && hex.length <= 64) return { name, selector: { kind: 'digest', prefix: hex } };
  throw invalidArgument(`Bad version reference '${ref}': use NAME@N (a version number from 1), NAME@latest or NAME@<digest prefix of at least ${MIN_PREFIX} hex characters>.`, { ref });
}

export function checkDatasetName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) {
    throw invalidArgument(`Bad dataset name '${name}': use letters, digits, '.', '_' and '-' (up to 128 characters, starting with a letter or digit).`, { name });
  }
}
