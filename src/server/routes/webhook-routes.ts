/** Native webhook API under /api/v1: subscriptions, their delivery log, and a test ping. */
import type { FastifyInstance } from 'fastify';
import type { WebhookApi } from '../../webhooks/webhook-api.js';
import type { CreateWebhookInput, UpdateWebhookInput } from '../../webhooks/entities.js';
import { intQuery } from './query-params.js';
import type { Query } from './query-params.js';

const str = { type: 'string' } as const;
const strList = { type: 'array', items: str } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const status = { enum: ['ACTIVE', 'DISABLED'] } as const;

const createBody = {
  type: 'object',
  required: ['name', 'url', 'events'],
  properties: { name: str, url: str, events: strList, modelName: nullableStr, description: str, secret: str, status },
} as const;
const updateBody = {
  type: 'object',
  properties: { name: str, url: str, events: strList, modelName: nullableStr, description: str, secret: str, status },
} as const;
const tags = ['webhooks'];

export function registerWebhookRoutes(app: FastifyInstance, webhooks: WebhookApi): void {
  app.post<{ Body: CreateWebhookInput }>('/webhooks', { schema: { tags, body: createBody } }, async (req, reply) =>
    reply.status(201).send(await webhooks.create(req.body)),
  );
  app.get('/webhooks', { schema: { tags } }, async () => ({ webhooks: await webhooks.list() }));
  app.get<{ Params: { id: string } }>('/webhooks/:id', { schema: { tags } }, async (req) => webhooks.get(req.params.id));
  app.patch<{ Params: { id: string }; Body: UpdateWebhookInput }>('/webhooks/:id', { schema: { tags, body: updateBody } }, async (req) =>
    webhooks.update(req.params.id, req.body),
  );
  app.delete<{ Params: { id: string } }>('/webhooks/:id', { schema: { tags } }, async (req, reply) => {
    await webhooks.delete(req.params.id);
    return reply.status(204).send();
  });
  app.get<{ Params: { id: string }; Querystring: Query }>('/webhooks/:id/deliveries', { schema: { tags } }, async (req) => ({
    deliveries: await webhooks.deliveries(req.params.id, intQuery(req.query, 'limit') ?? 100),
  }));
  app.get<{ Params: { id: string } }>('/webhook-deliveries/:id/attempts', { schema: { tags } }, async (req) => ({ attempts: await webhooks.attempts(req.params.id) }));
  app.post<{ Params: { id: string } }>('/webhooks/:id/test', { schema: { tags } }, async (req) => webhooks.test(req.params.id));
}
