/**
 * 0003: the data domain (datasets and their content-addressed versions). Prefixed `data_` because
 * tracking's `datasets` table (MLflow run inputs) is a different thing. Landed: never edit.
 */
import type { Dialect } from '../sql/sql-text.js';

export const dataTables = (d: Dialect): string => {
  const big = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  // (name, digest) unique makes concurrent identical adds collapse into one version; (name, version)
  // as the key makes two different contents racing for the same number fail one of them, which retries.
  return `
CREATE TABLE data_datasets (
  name TEXT PRIMARY KEY,
  created_at ${big} NOT NULL
);
CREATE TABLE data_versions (
  name TEXT NOT NULL REFERENCES data_datasets(name),
  version INTEGER NOT NULL,
  digest TEXT NOT NULL,
  source TEXT NOT NULL,
  read_options TEXT NOT NULL,
  files TEXT NOT NULL,
  row_count ${big} NOT NULL,
  schema TEXT NOT NULL,
  profile TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at ${big} NOT NULL,
  tags TEXT NOT NULL,
  PRIMARY KEY (name, version),
  UNIQUE (name, digest)
);
`;
};
