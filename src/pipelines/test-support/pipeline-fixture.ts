/** Real embedded services (SQLite + local artifacts) in a temp folder, for pipeline tests. */
import fs from 'node:fs';
import path from 'node:path';
import { openServices } from '../../services.js';
import type { Services } from '../../services.js';
import { tempDir } from '../../test-support/test-databases.js';
import { PipelineService } from '../pipeline-service.js';

export interface PipelineFixture {
  home: string;
  services: Services;
  pipelines: PipelineService;
  close(): Promise<void>;
}

export async function pipelineFixture(databaseUrl = 'sqlite:'): Promise<PipelineFixture> {
  const home = tempDir('gyre-pipelines-');
  const services = await openServices({ home, databaseUrl, artifactsUrl: 'file:' });
  return {
    home,
    services,
    pipelines: new PipelineService(services, services.pipelineStore, 'test-worker'),
    close: async () => {
      await services.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** `{ step: status }` of a run result, the shape users read in `--json`. */
export const statuses = (r: { steps: { step: string; status: string }[] }): Record<string, string> => Object.fromEntries(r.steps.map((s) => [s.step, s.status]));

/** A small regression table `x,city,y` (y = 3·x + 20 for city b, + small noise) that tree ensembles fit closely; returns its path. */
export function writeToyCsv(dir: string, name = 'train.csv'): string {
  const rows = Array.from({ length: 400 }, (_, i) => {
    const x = (i * 7) % 10;
    const city = ['a', 'b', 'c'][i % 3]!;
    return `${x},${city},${3 * x + (city === 'b' ? 20 : 0) + ((i * 13) % 5) / 10}`;
  });
  const file = path.join(dir, name);
  fs.writeFileSync(file, ['x,city,y', ...rows].join('\n') + '\n');
  return file;
}
