/** Native registry API under /api/v1: models, versions, aliases, protection, approvals, events. */
import type { FastifyInstance } from 'fastify';
import type { RegistryApi } from '../../registry/registry-api.js';
import type { ApprovalStatus, CreateVersionInput, Tag } from '../../registry/entities.js';
import { actorOf } from '../request-actor.js';
import { intQuery, listQuery, strQuery } from './query-params.js';
import type { Query } from './query-params.js';
import { invalidArgument } from '../../core/errors.js';

const str = { type: 'string' } as const;
const tagList = { type: 'array', items: { type: 'object', required: ['key', 'value'], properties: { key: str, value: str } } } as const;
const obj = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', required, properties }) as const;
const tags = ['registry'];
type Q = Query;
type P = { name: string; version: string; alias: string; key: string; id: string };

function searchInput(q: Q) {
  const max = intQuery(q, 'maxResults');
  const orderBy = listQuery(q, 'orderBy');
  return {
    ...(strQuery(q, 'filter') ? { filter: strQuery(q, 'filter')! } : {}),
    ...(orderBy ? { orderBy } : {}),
    ...(max !== undefined ? { maxResults: max } : {}),
    ...(strQuery(q, 'pageToken') ? { pageToken: strQuery(q, 'pageToken')! } : {}),
  };
}

export function registerRegistryRoutes(app: FastifyInstance, r: RegistryApi): void {
  const m = '/registered-models/:name';
  const v = `${m}/versions/:version`;
  const a = `${m}/aliases/:alias`;

  app.post<{ Body: { name: string; description?: string; tags?: Tag[] } }>('/registered-models', { schema: { tags, body: obj(['name'], { name: str, description: str, tags: tagList }) } }, async (req, reply) =>
    reply.status(201).send(await r.createModel(req.body, actorOf(req))),
  );
  app.get<{ Querystring: Q }>('/registered-models', { schema: { tags } }, async (req) => {
    const page = await r.searchModels(searchInput(req.query));
    return { models: page.items, nextPageToken: page.nextPageToken };
  });
  app.get<{ Params: P }>(m, { schema: { tags } }, async (req) => r.getModel(req.params.name));
  app.patch<{ Params: P; Body: { description?: string; newName?: string } }>(m, { schema: { tags, body: obj([], { description: str, newName: str }) } }, async (req) => {
    let name = req.params.name;
    if (req.body.newName !== undefined) name = (await r.renameModel(name, req.body.newName, actorOf(req))).name;
    if (req.body.description !== undefined) await r.updateModel(name, req.body.description, actorOf(req));
    return r.getModel(name);
  });
  app.delete<{ Params: P }>(m, { schema: { tags } }, async (req, reply) => {
    await r.deleteModel(req.params.name, actorOf(req));
    return reply.status(204).send();
  });
  app.put<{ Params: P; Body: { value: string } }>(`${m}/tags/:key`, { schema: { tags, body: obj(['value'], { value: str }) } }, async (req, reply) => {
    await r.setModelTag(req.params.name, req.params.key, req.body.value, actorOf(req));
    return reply.status(204).send();
  });
  app.delete<{ Params: P }>(`${m}/tags/:key`, { schema: { tags } }, async (req, reply) => {
    await r.deleteModelTag(req.params.name, req.params.key, actorOf(req));
    return reply.status(204).send();
  });

  app.post<{ Params: P; Body: Omit<CreateVersionInput, 'name'> }>(
    `${m}/versions`,
    { schema: { tags, body: obj(['source'], { source: str, runId: str, runLink: str, description: str, tags: tagList, packageDigest: str }) } },
    async (req, reply) => reply.status(201).send(await r.createVersion({ ...req.body, name: req.params.name }, actorOf(req))),
  );
  app.get<{ Params: P }>(`${m}/versions`, { schema: { tags } }, async (req) => ({ versions: await r.listVersions(req.params.name) }));
  app.get<{ Params: P; Querystring: Q }>(`${m}/latest-versions`, { schema: { tags } }, async (req) => {
    const stages = listQuery(req.query, 'stages');
    return { versions: await r.latestVersions(req.params.name, stages) };
  });
  app.get<{ Querystring: Q }>('/model-versions', { schema: { tags } }, async (req) => {
    const page = await r.searchVersions(searchInput(req.query));
    return { versions: page.items, nextPageToken: page.nextPageToken };
  });
  app.get<{ Querystring: Q }>('/model-refs/resolve', { schema: { tags } }, async (req) => {
    const ref = strQuery(req.query, 'ref');
    if (!ref) throw invalidArgument("Query parameter 'ref' is required, e.g. ?ref=bike-demand@champion.", { field: 'ref' });
    return r.resolve(ref);
  });
  app.get<{ Params: P }>(v, { schema: { tags } }, async (req) => r.getVersion(req.params.name, req.params.version));
  app.patch<{ Params: P; Body: { description?: string; stage?: string; archiveExisting?: boolean } }>(
    v,
    { schema: { tags, body: obj([], { description: str, stage: str, archiveExisting: { type: 'boolean' } }) } },
    async (req) => {
      const { name, version } = req.params;
      if (req.body.description !== undefined) await r.updateVersion(name, version, req.body.description, actorOf(req));
      if (req.body.stage !== undefined) await r.transitionStage(name, version, req.body.stage, req.body.archiveExisting ?? false, actorOf(req));
      return r.getVersion(name, version);
    },
  );
  app.delete<{ Params: P }>(v, { schema: { tags } }, async (req, reply) => {
    await r.deleteVersion(req.params.name, req.params.version, actorOf(req));
    return reply.status(204).send();
  });
  app.put<{ Params: P; Body: { value: string } }>(`${v}/tags/:key`, { schema: { tags, body: obj(['value'], { value: str }) } }, async (req, reply) => {
    await r.setVersionTag(req.params.name, req.params.version, req.params.key, req.body.value, actorOf(req));
    return reply.status(204).send();
  });
  app.delete<{ Params: P }>(`${v}/tags/:key`, { schema: { tags } }, async (req, reply) => {
    await r.deleteVersionTag(req.params.name, req.params.version, req.params.key, actorOf(req));
    return reply.status(204).send();
  });

  app.put<{ Params: P; Body: { version: string | number; reason?: string } }>(
    a,
    { schema: { tags, body: obj(['version'], { version: { type: ['string', 'integer'] }, reason: str }) } },
    async (req) => r.setAlias(req.params.name, req.params.alias, req.body.version, actorOf(req, req.body.reason)),
  );
  app.get<{ Params: P }>(a, { schema: { tags } }, async (req) => r.getVersionByAlias(req.params.name, req.params.alias));
  app.delete<{ Params: P }>(a, { schema: { tags } }, async (req) => r.deleteAlias(req.params.name, req.params.alias, actorOf(req)));
  app.get<{ Params: P }>(`${a}/history`, { schema: { tags } }, async (req) => ({ moves: await r.aliasHistory(req.params.name, req.params.alias) }));
  app.get<{ Params: P }>(`${m}/alias-history`, { schema: { tags } }, async (req) => ({ moves: await r.aliasHistory(req.params.name) }));
  app.post<{ Params: P; Body: { version: string | number } }>(`${a}/check`, { schema: { tags, body: obj(['version'], { version: { type: ['string', 'integer'] } }) } }, async (req) => ({
    verdict: await r.checkGate(req.params.name, req.params.alias, req.body.version),
  }));
  app.put<{ Params: P; Body: { policy?: unknown } }>(`${a}/protection`, { schema: { tags, body: obj([], { policy: {} }) } }, async (req) =>
    r.protectAlias(req.params.name, req.params.alias, req.body.policy ?? null, actorOf(req)),
  );
  app.delete<{ Params: P }>(`${a}/protection`, { schema: { tags } }, async (req, reply) => {
    await r.unprotectAlias(req.params.name, req.params.alias, actorOf(req));
    return reply.status(204).send();
  });
  app.get<{ Params: P }>(`${m}/protections`, { schema: { tags } }, async (req) => ({ protections: await r.listProtections(req.params.name) }));

  app.post<{ Body: { name: string; alias: string; version: string | number; reason?: string } }>(
    '/approvals',
    { schema: { tags, body: obj(['name', 'alias', 'version'], { name: str, alias: str, version: { type: ['string', 'integer'] }, reason: str }) } },
    async (req, reply) => reply.status(201).send(await r.requestApproval(req.body.name, req.body.alias, req.body.version, actorOf(req, req.body.reason))),
  );
  app.get<{ Querystring: Q }>('/approvals', { schema: { tags } }, async (req) => {
    const status = strQuery(req.query, 'status') as ApprovalStatus | undefined;
    return { approvals: await r.listApprovals({ ...(strQuery(req.query, 'name') ? { name: strQuery(req.query, 'name')! } : {}), ...(status ? { status } : {}) }) };
  });
  const approvalId = (id: string) => {
    if (!/^\d+$/.test(id)) throw invalidArgument(`Approval id must be a positive integer, got '${id}'.`, { field: 'id' });
    return Number(id);
  };
  app.get<{ Params: P }>('/approvals/:id', { schema: { tags } }, async (req) => r.getApproval(approvalId(req.params.id)));
  for (const [verb, decision] of [['approve', 'APPROVED'], ['reject', 'REJECTED']] as const) {
    app.post<{ Params: P; Body: { reason?: string } }>(`/approvals/:id/${verb}`, { schema: { tags, body: obj([], { reason: str }) } }, async (req) =>
      r.decide(approvalId(req.params.id), decision, actorOf(req, req.body?.reason)),
    );
  }
  app.get<{ Querystring: Q }>('/registry-events', { schema: { tags } }, async (req) => {
    const after = intQuery(req.query, 'after') ?? 0;
    const limit = intQuery(req.query, 'limit') ?? 100;
    if (limit < 1 || limit > 10_000) throw invalidArgument(`limit must be from 1 to 10000, got ${limit}.`, { field: 'limit' });
    return { events: await r.listEvents(after, limit) };
  });
}
