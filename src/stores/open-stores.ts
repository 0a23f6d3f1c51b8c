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
import { openSqlite } from './sqlite/open-sqlite.js';
import { openPostgres } from './postgres/open-postgres.js';

export interface Stores {
  tracking: TrackingStore;
  artifacts: ArtifactStore;
  close(): Promise<void>;
}

export async function openTrackingStore(databaseUrl: string, home: string): Promise<TrackingStore> {
  if (databaseUrl === 'sqlite:' || databaseUrl.startsWith('sqlite:')) {
    const rest = databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    const file = rest === '' ? path.join(home, 'gyre.db') : rest === ':memory:' ? ':memory:' : path.resolve(rest);
    const { db, raw } = openSqlite(file);
    return new SqlTrackingStore(db, 'sqlite', async () => {}, () => raw.pragma('data_version', { simple: true }) as number);
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { db } = await openPostgres(databaseUrl);
    return new SqlTrackingStore(db, 'postgres');
  }
  throw invalidArgument(`Database URL '${databaseUrl}' is not supported. Use 'sqlite:' (default), 'sqlite:/path/to/file.db' or 'postgres://user@host:5432/db'.`);
}

export function openArtifactStore(artifactsUrl: string, home: string): ArtifactStore {
  if (artifactsUrl === 'file:') return new LocalArtifactStore(path.join(home, 'artifacts'));
  if (artifactsUrl.startsWith('file:')) {
    return new LocalArtifactStore(artifactsUrl.startsWith('file://') ? fileURLToPath(artifactsUrl) : path.resolve(artifactsUrl.slice(5)));
  }
  throw invalidArgument(`Artifact store URL '${artifactsUrl}' is not supported yet. Use 'file:' (default) or 'file:/path'.`);
}

export async function openStores(config: Pick<GyreConfig, 'databaseUrl' | 'artifactsUrl' | 'home'>): Promise<Stores> {
  const tracking = await openTrackingStore(config.databaseUrl, config.home);
  const artifacts = openArtifactStore(config.artifactsUrl, config.home);
  return { tracking, artifacts, close: () => tracking.close() };
}
