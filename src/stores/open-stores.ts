/**
 * The one place that turns URLs into store instances (DESIGN.md §1.3): the URL scheme picks the
 * backend; everything above this sees only the interfaces.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GyreConfig } from '../core/config.js';
import { invalidArgument } from '../core/errors.js';
import type { TrackingStore } from '../tracking/tracking-store.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { LocalArtifactStore } from '../artifacts/local-artifact-store.js';
import { SqlTrackingStore } from './sql/sql-tracking-store.js';
import type { DatasetStore } from '../data/dataset-store.js';
import { SqlDatasetStore } from './sql/sql-dataset-store.js';
import { openSqlDatabase } from './sql-database.js';
import type { SqlDatabase } from './sql-database.js';

export interface Stores {
  /** The shared SQL database every SQL-backed store below is built on. */
  database: SqlDatabase;
  tracking: TrackingStore;
  datasets: DatasetStore;
  artifacts: ArtifactStore;
  close(): Promise<void>;
}

/** A tracking store that owns its own connection (tests, migrations checks). */
export async function openTrackingStore(databaseUrl: string, home: string): Promise<TrackingStore> {
  const database = await openSqlDatabase(databaseUrl, home);
  return trackingStoreOn(database, () => database.close());
}

function trackingStoreOn(database: SqlDatabase, onClose: () => Promise<void> = async () => {}): TrackingStore {
  return new SqlTrackingStore(database.db, database.dialect, onClose, database.externalVersion, database.writes);
}

export function openArtifactStore(artifactsUrl: string, home: string): ArtifactStore {
  if (artifactsUrl === 'file:') return new LocalArtifactStore(path.join(home, 'artifacts'));
  if (artifactsUrl.startsWith('file:')) {
    return new LocalArtifactStore(artifactsUrl.startsWith('file://') ? fileURLToPath(artifactsUrl) : path.resolve(artifactsUrl.slice(5)));
  }
  throw invalidArgument(`Artifact store URL '${artifactsUrl}' is not supported yet. Use 'file:' (default) or 'file:/path'.`);
}

export async function openStores(config: Pick<GyreConfig, 'databaseUrl' | 'artifactsUrl' | 'home'>): Promise<Stores> {
  const database = await openSqlDatabase(config.databaseUrl, config.home);
  const artifacts = openArtifactStore(config.artifactsUrl, config.home);
  return {
    database,
    tracking: trackingStoreOn(database),
    datasets: new SqlDatasetStore(database.db),
    artifacts,
    close: () => database.close(),
  };
}
