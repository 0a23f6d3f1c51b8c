/** The inference log's columns in the order the threaded appender sends a record's values. */
export const LOG_COLUMN_NAMES = ['deployment', 'request_id', 'ts', 'model_name', 'model_version', 'variant', 'inputs', 'inputs_kind', 'outputs', 'latency_ms'] as const;
export const LOG_COLUMNS = LOG_COLUMN_NAMES.length;
