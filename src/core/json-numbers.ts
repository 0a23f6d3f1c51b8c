/**
 * JSON has no NaN or Infinity. Like protobuf's JSON mapping (which MLflow speaks), Gyre writes them
 * as the strings "NaN", "Infinity" and "-Infinity" and reads either form back.
 */
export type JsonDouble = number | 'NaN' | 'Infinity' | '-Infinity';

export function encodeDouble(value: number): JsonDouble {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

/** The number a JSON double field holds, or undefined when it is not one. */
export function decodeDouble(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity' || value === 'inf') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity' || value === '-inf') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
