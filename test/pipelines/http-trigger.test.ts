/** An HTTP call starts a pipeline through `gyre server`'s native API. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startTestServer } from '../../src/test-support/test-server.js';
import { PipelineTriggers } from '../../src/pipelines/schedules/pipeline-triggers.js';
import { PipelineService } from '../../src/pipelines/pipeline-service.js';

describe('POST /api/v1/pipelines/triggers/:name/fire', () => {
  it('starts the trigger’s pipeline once per idempotency key and reports the run', async () => {
    const server = await startTestServer('gyre-http-trigger-');
    try {
      const file = path.join(server.home, 'p.yaml');
      fs.writeFileSync(file, 'name: hooked\nsteps:\n  hi:\n    cmd: echo hi\n');
      const pipelines = new PipelineService(server.services, server.services.pipelineStore);
      await new PipelineTriggers(pipelines, server.services.scheduleStore, server.services.eventSources).add({ name: 'ci', pipelineFile: file, source: 'http' });
      const fire = () => server.app.inject({ method: 'POST', url: '/api/v1/pipelines/triggers/ci/fire', headers: { 'idempotency-key': 'build-7' } });
      const first = await fire();
      expect(first.statusCode).toBe(202);
      const { runId } = first.json();
      expect((await fire()).json().runId).toBe(runId);
      let body: { run: { status: string; trigger: string }; steps: { status: string }[] } | undefined;
      for (let i = 0; i < 100; i++) {
        body = (await server.app.inject(`/api/v1/pipelines/runs/${runId}`)).json();
        if (body!.run.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(body).toMatchObject({ run: { status: 'succeeded', trigger: 'trigger:ci#build-7' }, steps: [{ status: 'succeeded' }] });
      expect((await server.services.pipelineStore.listRuns({ pipeline: 'hooked', limit: 10 })).length).toBe(1);
      expect((await server.app.inject({ method: 'POST', url: '/api/v1/pipelines/triggers/nope/fire' })).json().error.code).toBe('NOT_FOUND');
    } finally {
      await server.close();
    }
  });
});
