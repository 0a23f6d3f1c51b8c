/** Native registry API under /api/v1: models, versions, aliases, protection, approvals, events. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RegistryApi } from '../../registry/registry-api.js';
import type { Actor, ApprovalStatus, CreateVersionInput, Tag } from '../../registry/entities.js';
import { invalidArgument } from '../../core/errors.js';

const str = { type: 'string' } as const;
const tagList = { type: 'array', items: { type: 'object', required: ['key', 'value'], properties: { key: str, value: str } } } as const;
const obj = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', required, properties }) as const;
const tags = ['registry'];
type Q = Record<string, string | string[] | undefined>;
type P = { name: string; version: string; alias: string; key: string; id: string };

/** Who acts: X-Gyre-User (no authentication yet; docs/registry.md), with the body's reason. */
function actor(req: FastifyRequest, reason?: unknown): Actor {
  const h = req.headers['x-gyre-user'];
  return { user: typeof h === 'string' && h ? h : 'anonymous', reason: typeof reason === 'string' ? reason : null };
}
const one = (q: Q, k: string) => (Array.isArray(q[k]) ? q[k]![0] : (q[k] as string | undefined));
function searchInput(q: Q) {
  const max = one(q, 'maxResults');
  if (max !== undefined && !/^\d+$/.test(max)) throw invalidArgument(`maxResults must be a positive integer, got '${max}'.`, { field: 'maxResults' });
  const orderBy = q.orderBy === undefined ? undefined : Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
  return {
    ...(one(q, 'filter') ? { filter: one(q, 'filter')! } : {}),
    ...(orderBy ? { orderBy } : {}),
    ...(max ? { maxResults: Number(max) } : {}),
    ...(one(q, 'pageToken') ? { pageToken: one(q, 'pageToken')! } : {}),
  };
}

export function registerRegistryRoutes(app: FastifyInstance, r: RegistryApi): void {
  const m = '/registered-models/:name';
  const v = `${m}/versions/:version`;
  const a = `${m}/aliases/:alias`;

  app.post<{ Body: { name: string; description?: string; tags?: Tag[] } }>('/registered-models', { schema: { tags, body: obj(['name'], { name: str, description: str, tags: tagList }) } }, async (req, reply) =>
    reply.status(201).send(await r.createModel(req.body, actor(req))),
  );
  app.get<{ Querystring: Q }>('/registered-models', { schema: { tags } }, async (req) => {
    const page = await r.searchModels(searchInput(req.query));
    return { models: page.items, nextPageToken: page.nextPageToken };
  });
  app.get<{ Params: P }>(m, { schema: { tags } }, async (req) => r.getModel(req.params.name));
  app.patch<{ Params: P; Body: { description?: string; newName?: string } }>(m, { schema: { tags, body: obj([], { description: str, newName: str }) } }, async (req) => {
    let name = req.params.name;
    if (req.body.newName !== undefined) name = (await r.renameModel(name, req.body.newName, actor(req))).name;
    if (req.body.description !== undefined) await r.updateModel(name, req.body.description, actor(req));
    return r.getModel(name);
  });
  app.delete<{ Params: P }>(m, { schema: { tags } }, async (req, reply) => {
    await r.deleteModel(req.params.name, actor(req));
    return reply.status(204).send();
  });
  app.put<{ Params: P; Body: { value: string } }>(`${m}/tags/:key`, { schema: { tags, body: obj(['value'], { value: str }) } }, async (req, reply) => {
    await r.setModelTag(req.params.name, req.params.key, req.body.value, actor(req));
    return reply.status(204).send();
  });
  app.delete<{ Params: P }>(`${m}/tags/:key`, { schema: { tags } }, async (req, reply) => {
    await r.deleteModelTag(req.params.name, req.params.key, actor(req));
    return reply.status(204).send();
  });

  app.post<{ Params: P; Body: Omit<CreateVersionInput, 'name'> }>(
    `${m}/versions`,
    { schema: { tags, body: obj(['source'], { source: str, runId: str, runLink: str, description: str, tags: tagList, packageDigest: str }) } },
    async (req, reply) => reply.status(201).send(await r.createVersion({ ...req.body, name: req.params.name }, actor(req))),
  );
  app.get<{ Params: P }>(`${m}/versions`, { schema: { tags } }, async (req) => ({ versions: await r.listVersions(req.params.name) }));
  app.get<{ Params: P; Querystring: Q }>(`${m}/latest-versions`, { schema: { tags } }, async (req) => {
    const stages = req.query.stages === undefined ? undefined : Array.isArray(req.query.stages) ? req.query.stages : [req.query.stages];
    return { versions: await r.latestVersions(req.params.name, stages) };
  });
  app.get<{ Querystring: Q }>('/model-versions', { schema: { tags } }, async (req) => {
    const page = await r.searchVersions(searchInput(req.query));
    return { versions: page.items, nextPageToken: page.nextPageToken };
  });
  app.get<{ Querystring: Q }>('/model-refs/resolve', { schema: { tags } }, async (req) => {
    const ref = one(req.query, 'ref');
    if (!ref) throw invalidArgument("Query parameter 'ref' is required, e.g. ?ref=bike-demand@champion.", { field: 'ref' });
    return r.resolve(ref);
  });
  app.get<{ Params: P }>(v, { schema: { tags } }, async (req) => r.getVersion(req.params.name, req.params.version));
  app.patch<{ Params: P; Body: { description?: string; stage?: string; archiveExisting?: boolean } }>(
    v,
    { schema: { tags, body: obj([], { description: str, stage: str, archiveExisting: { type: 'boolean' } }) } },
    async (req) => {
      const { name, version } = req.params;
      if (req.body.description !== undefined) await r.updateVersion(name, version, req.body.description, actor(req));
      if (req.body.stage !== undefined) await r.transitionStage(name, version, req.body.stage, req.body.archiveExisting ?? false, actor(req));
      return r.getVersion(name, version);
    },
  );
  app.delete<{ Params: P }>(v, { schema: { tags } }, async (req, reply) => {
    await r.deleteVersion(req.params.name, req.params.version, actor(req));
    return reply.status(204).send();
  });
  app.put<{ Params: P; Body: { value: string } }>(`${v}/tags/:key`, { schema: { tags, body: obj(['value'], { value: str }) } }, async (req, reply) => {
    await r.setVersionTag(req.params.name, req.params.version, req.params.key, req.body.value, actor(req));
    return reply.status(204).send();
  });
  app.delete<{ Params: P }>(`${v}/tags/:key`, { schema: { tags } }, async (req, reply) => {
    await r.deleteVersionTag(req.params.name, req.params.version, req.params.key, actor(req));
    return reply.status(204).send();
  });

  app.put<{ Params: P; Body: { version: string | number; reason?: string } }>(
    a,
    { schema: { tags, body: obj(['version'], { version: { type: ['string', 'integer'] }, reason: str }) } },
    async (req) => r.setAlias(req.params.name, req.params.alias, req.body.version, actor(req, req.body.reason)),
  );
  app.get<{ Params: P }>(a, { schema: { tags } }, async (req) => r.getVersionByAlias(req.params.name, req.params.alias));
  app.delete<{ Params: P }>(a, { schema: { tags } }, async (req) => r.deleteAlias(req.params.name, req.params.alias, actor(req)));
  app.get<{ Params: P }>(`${a}/history`, { schema: { tags } }, async (req) => ({ moves: await r.aliasHistory(req.params.name, req.params.alias) }));
  app.get<{ Params: P }>(`${m}/alias-history`, { schema: { tags } }, async (req) => ({ moves: await r.aliasHistory(req.params.name) }));
  app.post<{ Params: P; Body: { version: string | number } }>(`${a}/check`, { schema: { tags, body: obj(['version'], { version: { type: ['string', 'integer'] } }) } }, async (req) => ({
    verdict: await r.checkGate(req.params.name, req.params.alias, req.body.version),
  }));
  app.put<{ Params: P; Body: { policy?: unknown } }>(`${a}/protection`, { schema: { tags, body: obj([], { policy: {} }) } }, async (req) =>
    r.protectAlias(req.params.name, req.params.alias, req.body.policy ?? null, actor(req)),
  );
  app.delete<{ Params: P }>(`${a}/protection`, { schema: { tags } }, async (req, reply) => {
    await r.unprotectAlias(req.params.name, req.params.alias, actor(req));
    return reply.status(204).send();
  });
  app.get<{ Params: P }>(`${m}/protections`, { schema: { tags } }, async (req) => ({ protections: await r.listProtections(req.params.name) }));

  app.post<{ Body: { name: string; alias: string; version: string | number; reason?: string } }>(
    '/approvals',
    { schema: { tags, body: obj(['name', 'alias', 'version'], { name: str, alias: str, version: { type: ['string', 'integer'] }, reason: str }) } },
    async (req, reply) => reply.status(201).send(await r.requestApproval(req.body.name, req.body.alias, req.body.version, actor(req, req.body.reason))),
  );
  app.get<{ Querystring: Q }>('/approvals', { schema: { tags } }, async (req) => {
    const status = one(req.query, 'status') as ApprovalStatus | undefined;
    return { approvals: await r.listApprovals({ ...(one(req.query, 'name') ? { name: one(req.query, 'name')! } : {}), ...(status ? { status } : {}) }) };
  });
  const approvalId = (id: string) => {
    if (!/^\d+$/.test(id)) throw invalidArgument(`Approval id must be a positive integer, got '${id}'.`, { field: 'id' });
    return Number(id);
  };
  app.get<{ Params: P }>('/approvals/:id', { schema: { tags } }, async (req) => r.getApproval(approvalId(req.params.id)));
  for (const [verb, decision] of [['approve', 'APPROVED'], ['reject', 'REJECTED']] as const) {
    app.post<{ Params: P; Body: { reason?: string } }>(`/approvals/:id/${verb}`, { schema: { tags, body: obj([], { reason: str }) } }, async (req) =>
      r.decide(approvalId(req.params.id), decision, actor(req, req.body?.reason)),
    );
  }
  app.get<{ Querystring: Q }>('/registry-events', { schema: { tags } }, async (req) => {
    const after = Number(one(req.query, 'after') ?? 0);
    const limit = Number(one(req.query, 'limit') ?? 100);
    if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) {
      throw invalidArgument('after must be a non-negative integer and limit an integer from 1 to 10000.', { field: 'after' });
    }
    return { events: await r.listEvents(after, limit) };
  });
}
