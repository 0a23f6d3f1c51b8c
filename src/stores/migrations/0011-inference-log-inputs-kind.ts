/**
 * 0011: how a log record's inputs are stored. `values`: the inputs themselves (`{tensor: data}`
 * for OIP, the records for the records endpoint) — every record before this migration. `oip` and
 * `records`: the request body as it came over the wire, decoded into the same inputs when read,
 * so serving logs a request without serialising it again (bench/serving.js).
 */
export const inferenceLogInputsKind = (): string => `
ALTER TABLE inference_log ADD COLUMN inputs_kind TEXT NOT NULL DEFAULT 'values';
`;
