/**
 * Native data API under /api/v1/datasets: thin HTTP mapping onto DataAccess. Version references in
 * paths are what follows `@` in `NAME@REF` (a number, `latest` or a digest prefix).
 */
import type { FastifyInstance } from 'fastify';
import type { DataAccess, AddDatasetInput } from '../../data/data-access.js';
import type { ExpectationSuite } from '../../data/expectations.js';
import { renderReportHtml } from '../../data/render-report.js';
import { invalidArgument } from '../../core/errors.js';

type NameParams = { name: string };
type RefParams = { name: string; ref: string };

const addBody = {
  type: 'object',
  required: ['source'],
  additionalProperties: false,
  properties: {
    source: { type: 'string', minLength: 1, description: 'Path or glob on the server machine, or a file:// URL.' },
    readOptions: { type: 'object' },
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    createdBy: { type: 'string' },
  },
} as const;

const validateBody = {
  type: 'object',
  required: ['suite'],
  additionalProperties: false,
  properties: { suite: { type: 'object' } },
} as const;

export function registerDataRoutes(app: FastifyInstance, data: DataAccess): void {
  app.get('/datasets', { schema: { tags: ['data'] } }, async () => ({ datasets: await data.list() }));
  app.post<{ Params: NameParams; Body: Omit<AddDatasetInput, 'name'> }>('/datasets/:name/versions', { schema: { tags: ['data'], body: addBody } }, async (req, reply) => {
    const result = await data.add({ ...req.body, name: req.params.name });
    return reply.status(result.created ? 201 : 200).send(result);
  });
  app.get<{ Params: NameParams }>('/datasets/:name/versions', { schema: { tags: ['data'] } }, async (req) => ({ versions: await data.versions(req.params.name) }));
  app.get<{ Params: RefParams }>('/datasets/:name/versions/:ref', { schema: { tags: ['data'] } }, async (req) => data.get(`${req.params.name}@${req.params.ref}`));
  app.get<{ Params: RefParams }>('/datasets/:name/versions/:ref/profile', { schema: { tags: ['data'] } }, async (req) => data.profile(`${req.params.name}@${req.params.ref}`));
  app.get<{ Params: NameParams; Querystring: { from?: string; to?: string } }>('/datasets/:name/diff', { schema: { tags: ['data'] } }, async (req) => {
    const { from, to } = req.query;
    if (!from || !to) throw invalidArgument("Query parameters 'from' and 'to' (version references such as 1, latest or a digest prefix) are required.");
    // A full reference (`other@3`) compares across datasets, e.g. training against serving data.
    const full = (r: string) => (r.includes('@') ? r : `${req.params.name}@${r}`);
    return data.diff(full(from), full(to));
  });
  app.get<{ Params: RefParams; Querystring: { name?: string } }>('/datasets/:name/versions/:ref/inferred-suite', { schema: { tags: ['data'] } }, async (req) =>
    data.inferSuite(`${req.params.name}@${req.params.ref}`, req.query.name),
  );
  app.post<{ Params: RefParams; Body: { suite: ExpectationSuite }; Querystring: { format?: string } }>(
    '/datasets/:name/versions/:ref/validate',
    { schema: { tags: ['data'], body: validateBody } },
    async (req, reply) => {
      const report = await data.validate(`${req.params.name}@${req.params.ref}`, req.body.suite);
      if (req.query.format === 'html') return reply.type('text/html; charset=utf-8').send(renderReportHtml(report));
      return report;
    },
  );
}
