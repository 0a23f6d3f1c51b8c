/** 0006: deployments and their change history. */
import type { Dialect } from '../sql/sql-text.js';

export const deploymentTables = (d: Dialect): string => {
  const big = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  const serialPk = d === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  return `
CREATE TABLE deployments (
  name TEXT PRIMARY KEY,
  spec TEXT NOT NULL,
  created_at ${big} NOT NULL,
  updated_at ${big} NOT NULL
);
-- No foreign key: the history outlives a deleted deployment.
CREATE TABLE deployment_changes (
  change_id ${serialPk},
  deployment TEXT NOT NULL,
  at ${big} NOT NULL,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  reason TEXT,
  before_spec TEXT,
  after_spec TEXT
);
CREATE INDEX deployment_changes_by_name ON deployment_changes (deployment, change_id);
`;
};
