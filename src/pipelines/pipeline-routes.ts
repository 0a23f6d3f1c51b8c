/**
 * Native pipeline API under /api/v1: fire an HTTP trigger, read a run. Runs started here execute in
 * the server process, or on `gyre worker`s when GYRE_REDIS_URL is set.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { PipelineService } from './pipeline-service.js';
import { PipelineTriggers } from './schedules/pipeline-triggers.js';
import { distributedDispatcherFromEnv } from './distributed/dispatcher-from-env.js';

export function registerPipelineRoutes(app: FastifyInstance, services: Services): void {
  const pipelines = new PipelineService(services, services.pipelineStore);
  const triggers = new PipelineTriggers(pipelines, services.scheduleStore, services.eventSources, {
    dispatcher: () => distributedDispatcherFromEnv(),
    onError: (err) => app.log.error({ err }, 'pipeline run started by an HTTP trigger failed to run'),
  });
  app.post<{ Params: { name: string } }>('/pipelines/triggers/:name/fire', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const runId = await triggers.fire(req.params.name, typeof key === 'string' && key ? key : undefined);
    return reply.code(202).send({ runId });
  });
  app.get<{ Params: { runId: string } }>('/pipelines/runs/:runId', async (req) => pipelines.show(req.params.runId));
}
