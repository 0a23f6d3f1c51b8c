/**
 * How a log record's inputs go into the store and come back. A request that arrived over HTTP is
 * stored as its body, the JSON text already in hand (serialising the inputs again was most of what
 * logging cost the serving thread); anything else as the inputs themselves. Reading gives the same
 * inputs either way: `{tensor: data}` for OIP, the list of records for the records endpoint.
 */
import type { InferenceRecord } from './entities.js';

export type InputsKind = 'values' | 'oip' | 'records';

/** The inputs column's text and kind for one record. */
export function storedInputs(r: InferenceRecord): { text: string; kind: InputsKind } {
  if (r.request) return { text: r.request.json, kind: r.request.endpoint };
  return { text: JSON.stringify(r.inputs), kind: 'values' };
}

/** The inputs of a stored record, whatever its kind. */
export function readInputs(text: string, kind: string): unknown {
  const value = JSON.parse(text) as unknown;
  if (kind === 'oip') {
    const tensors = (value as { inputs?: { name: string; data: unknown }[] }).inputs ?? [];
    return Object.fromEntries(tensors.map((t) => [t.name, t.data]));
  }
  if (kind === 'records') return (value as { records?: unknown }).records ?? [];
  return value;
}
