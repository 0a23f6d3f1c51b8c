/** A DataService over fresh embedded stores in a temp folder, plus helpers to write fixture files. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStores } from '../../stores/open-stores.js';
import { DataService } from '../data-service.js';
import type { DatasetStore } from '../dataset-store.js';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import { tempDir } from '../../test-support/test-databases.js';

export const ADULT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/data/adult');
/** Adult's own reading options: `?` marks missing values and every field after a comma starts with a space. */
export const ADULT_READ = { trim: true, nullValues: ['?'] };

export interface DataFixture {
  data: DataService;
  /** The metadata store under `data`, for tests that need crafted versions. */
  datasets: DatasetStore;
  artifacts: ArtifactStore;
  dir: string;
  write(name: string, content: string | Buffer): string;
  close(): Promise<void>;
}

export async function openDataFixture(): Promise<DataFixture> {
  const dir = tempDir('gyre-data-test-');
  const stores = await openStores({ home: dir, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
  return {
    data: new DataService(stores.datasets, stores.artifacts, { memoryLimit: '512MB', threads: 2 }),
    datasets: stores.datasets,
    artifacts: stores.artifacts,
    dir,
    write: (name, content) => {
      const file = path.join(dir, 'files', name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
    close: async () => {
      await stores.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
