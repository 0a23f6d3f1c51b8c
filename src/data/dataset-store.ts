/**
 * The persistence contract for dataset metadata (names, versions, schemas, profiles). The bytes
 * themselves live in the artifact store. Implemented over the shared SQL database
 * (stores/sql/sql-dataset-store.ts); one contract suite (dataset-store.contract.ts) runs against
 * SQLite and PostgreSQL.
 */
import type { DatasetSummary, DatasetVersion, NewDatasetVersion } from './entities.js';

export interface AddVersionResult {
  version: DatasetVersion;
  /** False when a version with the same digest already existed: it is returned unchanged. */
  created: boolean;
}

export interface DatasetStore {
  /**
   * Records a version, numbered max+1 within its dataset (created on first use). Idempotent on
   * (name, digest): adding known content returns the existing version, also when two callers race.
   */
  addVersion(input: NewDatasetVersion): Promise<AddVersionResult>;
  /** NOT_FOUND when the dataset or version does not exist. */
  getVersion(name: string, version: number): Promise<DatasetVersion>;
  /** The highest-numbered version; NOT_FOUND when the dataset has none. */
  getLatestVersion(name: string): Promise<DatasetVersion>;
  /** Versions whose hex digest starts with `hexPrefix` (lower case, without `sha256:`). */
  findByDigestPrefix(name: string, hexPrefix: string): Promise<DatasetVersion[]>;
  /** Versions of one dataset, newest first; NOT_FOUND for an unknown dataset. */
  listVersions(name: string): Promise<DatasetVersion[]>;
  listDatasets(): Promise<DatasetSummary[]>;
}
