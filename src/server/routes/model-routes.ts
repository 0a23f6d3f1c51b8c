/** Native API for model packages: register an ONNX file as a version, lineage graphs, model cards. */
import type { FastifyInstance } from 'fastify';
import type { ModelsApi } from '../../models/models-api.js';
import type { RegisterInput } from '../../models/model-registration.js';
import { invalidArgument } from '../../core/errors.js';
import { actorOf } from '../request-actor.js';

const tags = ['registry'];
// ONNX files travel base64 in JSON: a 300 MB model is ~400 MB of body.
const REGISTER_BODY_LIMIT = 512 * 1024 * 1024;

/** RegisterInput as JSON: the ONNX file base64-encoded, the name from the path. */
type RegisterBody = Omit<RegisterInput, 'name' | 'onnx'> & { onnx: string };

const refOf = (q: Record<string, string | undefined>) => {
  if (!q.ref) throw invalidArgument("Query parameter 'ref' is required, e.g. ?ref=bike-demand@champion.", { field: 'ref' });
  return q.ref;
};

export function registerModelRoutes(app: FastifyInstance, models: ModelsApi): void {
  app.post<{ Params: { name: string }; Body: RegisterBody }>(
    '/registered-models/:name/versions/from-onnx',
    {
      bodyLimit: REGISTER_BODY_LIMIT,
      schema: {
        tags,
        body: {
          type: 'object',
          required: ['onnx'],
          properties: {
            onnx: { type: 'string' },
            manifest: {},
            featureNames: { type: 'array', items: { type: 'string' } },
            task: { enum: ['classification', 'regression', 'other'] },
            description: { type: 'string' },
            metrics: { type: 'object', additionalProperties: { type: 'number' } },
            runId: { type: 'string' },
            parentModel: { type: 'string' },
            alias: { type: 'string' },
            inputExample: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
    async (req, reply) => {
      const { onnx, ...rest } = req.body;
      const bytes = Buffer.from(onnx, 'base64');
      if (bytes.length === 0) throw invalidArgument("'onnx' must be the model file, base64-encoded.", { field: 'onnx' });
      return reply.status(201).send(await models.register({ ...rest, name: req.params.name, onnx: bytes }, actorOf(req)));
    },
  );
  app.post<{ Params: { name: string }; Body: Omit<RegisterBody, 'onnx'> & { runId: string; artifactPath?: string } }>(
    '/registered-models/:name/versions/from-run',
    {
      schema: {
        tags,
        body: { type: 'object', required: ['runId'], properties: { runId: { type: 'string' }, artifactPath: { type: 'string' }, alias: { type: 'string' }, description: { type: 'string' }, parentModel: { type: 'string' } } },
      },
    },
    async (req, reply) => reply.status(201).send(await models.register({ ...req.body, name: req.params.name }, actorOf(req))),
  );
  app.get<{ Querystring: Record<string, string | undefined> }>('/model-lineage', { schema: { tags } }, async (req) => models.lineage(refOf(req.query)));
  app.get<{ Querystring: Record<string, string | undefined> }>('/model-cards', { schema: { tags } }, async (req, reply) => {
    const format = req.query.format === 'html' ? 'html' : 'markdown';
    const text = await models.card(refOf(req.query), format);
    return reply.type(format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8').send(text);
  });
}
