/**
 * Schema migrations, one entry per step, written as plain SQL per dialect so that what runs is
 * exactly what is reviewed. Applied in order by `applyMigrations` under a database-wide lock.
 * Never edit a released entry: add a new one.
 */
import { trackingTables } from './0001-tracking.js';
import { dataTables } from './0003-data.js';

export interface Migration {
  id: string;
  sqlite: string;
  postgres: string;
}

// One entry per file `NNNN-<domain>.ts`; the id is what the migrations table records.
export const MIGRATIONS: readonly Migration[] = [
  { id: '0001_tracking', sqlite: trackingTables('sqlite'), postgres: trackingTables('postgres') },
  // 0002_registry: added by the registry branch.
  { id: '0003_data', sqlite: dataTables('sqlite'), postgres: dataTables('postgres') },
];
