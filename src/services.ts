/**
 * Composition root for the embedded stores: config → stores → services. Used by `gyre server`,
 * by the CLI and by the SDK in local mode, so all three run the same code on the same files.
 */
import type { GyreConfig } from './core/config.js';
import { openStores } from './stores/open-stores.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import { TrackingService } from './tracking/tracking-service.js';
import { RunArtifacts } from './tracking/run-artifacts.js';
import { DataService } from './data/data-service.js';

export interface Services {
  tracking: TrackingService;
  runArtifacts: RunArtifacts;
  artifactStore: ArtifactStore;
  /** Versioned datasets, profiles and validation. */
  data: DataService;
  close(): Promise<void>;
}

export async function openServices(config: Pick<GyreConfig, 'home' | 'databaseUrl' | 'artifactsUrl'>): Promise<Services> {
  const stores = await openStores(config);
  const tracking = new TrackingService(stores.tracking);
  return {
    tracking,
    runArtifacts: new RunArtifacts(tracking, stores.artifacts),
    artifactStore: stores.artifacts,
    data: new DataService(stores.datasets, stores.artifacts),
    close: () => stores.close(),
  };
}
