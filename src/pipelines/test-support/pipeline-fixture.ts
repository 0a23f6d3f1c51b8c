/** Real embedded services (SQLite + local artifacts) in a temp folder, for pipeline tests. */
import fs from 'node:fs';
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
