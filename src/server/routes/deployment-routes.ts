/**
 * Native deployment API under /api/v1: create, read, change traffic (canary, promote, rollback,
 * shadow, replace), history, and ground-truth labels for the inference log.
 */
import type { FastifyInstance } from 'fastify';
import type { DeploymentService } from '../../serving/deployments/deployment-service.js';
import { actorOf } from '../request-actor.js';
import { intQuery, strQuery } from './query-params.js';
import type { Query } from './query-params.js';
import type { DeploymentSpec } from '../../serving/deployments/entities.js';
import type { InferenceLogStore } from '../../serving/inference-log/inference-log-store.js';
import type { LabelInput } from '../../serving/inference-log/entities.js';
import { GyreError, invalidArgument } from '../../core/errors.js';
import type { DeploymentManager } from '../../serving/deployments/deployment-manager.js';
import { sendAnswer } from '../oip/oip-routes.js';
import { answerRecordsPredict } from '../inference/inference-answers.js';

const str = { type: 'string' } as const;
const percent = { type: 'number', minimum: 0, maximum: 100 } as const;
const variant = { type: 'object', required: ['name', 'model', 'weight'], properties: { name: str, model: str, weight: percent } } as const;
const spec = {
  type: 'object',
  required: ['strategy', 'variants'],
  properties: {
    strategy: { enum: ['single', 'canary', 'ab'] },
    variants: { type: 'array', items: variant, minItems: 1 },
    shadow: { type: 'object', required: ['model', 'percent'], properties: { model: str, percent } },
    stickyHeader: str,
    batching: { type: 'object', required: ['maxBatchRows', 'maxQueueDelayMs'], properties: { maxBatchRows: { type: 'integer' }, maxQueueDelayMs: { type: 'number' } } },
    logSampleRate: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;
const reason = { reason: str } as const;
const tags = ['deployments'];

type Named = { Params: { name: string } };


export function registerDeploymentRoutes(app: FastifyInstance, deployments: DeploymentService, log: InferenceLogStore, live: () => DeploymentManager | null): void {
  app.post<Named & { Body: { records: unknown[] } }>(
    '/deployments/:name/predict',
    // The schema documents the body; the records are checked where they are used (records-to-tensors),
    // the same for this route and for the inference fast path in front of Fastify.
    { schema: { tags, body: { type: 'object', required: ['records'], properties: { records: { type: 'array', items: { type: 'object' } } } } }, attachValidation: true },
    async (req, reply) => sendAnswer(reply, await answerRecordsPredict(live, req.params.name, req.body, req.headers, (err) => req.log.error({ err }, 'prediction failed'))),
  );
  app.post<{ Body: { name: string; model?: string; spec?: DeploymentSpec; reason?: string } }>(
    '/deployments',
    { schema: { tags, body: { type: 'object', required: ['name'], properties: { name: str, model: str, spec, ...reason } } } },
    async (req, reply) => {
      const { name, model, spec: full } = req.body;
      if ((model === undefined) === (full === undefined)) throw invalidArgument("Give exactly one of 'model' (e.g. \"bikes@champion\") or a full 'spec'.", { field: 'model' });
      return reply.status(201).send(await deployments.create(name, full ?? { model: model! }, actorOf(req, req.body.reason)));
    },
  );
  app.get('/deployments', { schema: { tags } }, async () => ({ deployments: await deployments.list() }));
  app.get<Named>('/deployments/:name', { schema: { tags } }, async (req) => deployments.get(req.params.name));
  // A DELETE has no body: its reason comes as ?reason=.
  app.delete<Named & { Querystring: Query }>('/deployments/:name', { schema: { tags } }, async (req, reply) => {
    await deployments.delete(req.params.name, actorOf(req, strQuery(req.query, 'reason')));
    return reply.status(204).send();
  });
  app.put<Named & { Body: DeploymentSpec & { reason?: string } }>('/deployments/:name/spec', { schema: { tags, body: spec } }, async (req) => {
    const { reason: why, ...full } = req.body;
    return deployments.replace(req.params.name, full, actorOf(req, why));
  });
  app.post<Named & { Body: { model: string; percent: number; reason?: string } }>(
    '/deployments/:name/canary',
    { schema: { tags, body: { type: 'object', required: ['model', 'percent'], properties: { model: str, percent, ...reason } } } },
    async (req) => deployments.canary(req.params.name, req.body.model, req.body.percent, actorOf(req, req.body.reason)),
  );
  app.post<Named & { Body: { percent: number; reason?: string } }>(
    '/deployments/:name/canary/step',
    { schema: { tags, body: { type: 'object', required: ['percent'], properties: { percent, ...reason } } } },
    async (req) => deployments.stepCanary(req.params.name, req.body.percent, actorOf(req, req.body.reason)),
  );
  app.post<Named & { Body: { reason?: string } }>('/deployments/:name/promote', { schema: { tags } }, async (req) => deployments.promote(req.params.name, actorOf(req, req.body?.reason)));
  app.post<Named & { Body: { reason?: string } }>('/deployments/:name/rollback', { schema: { tags } }, async (req) => deployments.rollback(req.params.name, actorOf(req, req.body?.reason)));
  app.post<Named & { Body: { model: string; percent: number; reason?: string } }>(
    '/deployments/:name/shadow',
    { schema: { tags, body: { type: 'object', required: ['model', 'percent'], properties: { model: str, percent, ...reason } } } },
    async (req) => deployments.shadow(req.params.name, req.body.model, req.body.percent, actorOf(req, req.body.reason)),
  );
  app.delete<Named & { Querystring: Query }>('/deployments/:name/shadow', { schema: { tags } }, async (req) => deployments.shadow(req.params.name, null, 0, actorOf(req, strQuery(req.query, 'reason'))));
  app.get<Named & { Querystring: Query }>('/deployments/:name/history', { schema: { tags } }, async (req) => ({
    changes: await deployments.history(req.params.name, intQuery(req.query, 'limit') ?? 100),
  }));
  app.post<Named & { Body: { labels: LabelInput[] } }>(
    '/deployments/:name/labels',
    {
      schema: {
        tags,
        body: {
          type: 'object',
          required: ['labels'],
          properties: { labels: { type: 'array', maxItems: 100_000, items: { type: 'object', required: ['requestId', 'label'], properties: { requestId: str, label: {}, timestamp: { type: 'integer' } } } } },
        },
      },
    },
    async (req) => {
      await deployments.get(req.params.name); // labels for an unknown deployment are a mistake worth reporting
      const added = await log.putLabels(req.params.name, req.body.labels);
      return { received: req.body.labels.length, new: added };
    },
  );
}
