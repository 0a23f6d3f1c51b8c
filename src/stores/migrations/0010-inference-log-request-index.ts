/**
 * 0010: drops the inference log's (deployment, request_id) index. No query reads the log by
 * request id — labels join from the log to inference_labels, whose key is (deployment,
 * request_id) — and with random request ids every append updated the index at a random page:
 * ~15 µs of a ~20 µs append per record, growing with the log (bench/serving.js, docs/decisions.md).
 */
export const dropInferenceLogRequestIndex = (): string => `
DROP INDEX IF EXISTS inference_log_request;
`;
