/** Native tracking API under /api/v1: thin HTTP mapping onto TrackingService. */
import type { FastifyInstance } from 'fastify';
import type { TrackingService } from '../../tracking/tracking-service.js';
import type { CreateRunInput, LogBatch, SearchRunsInput, Tag, UpdateRunInput, DatasetInput, ViewType } from '../../tracking/entities.js';
import { decodeMetric, encodeMetric, encodeRun } from '../../api/tracking-wire.js';
import type { WireMetric } from '../../api/tracking-wire.js';
import * as schemas from '../../api/tracking-schemas.js';
import { invalidArgument } from '../../core/errors.js';
import { intQuery, listQuery, strQuery } from './query-params.js';
import type { Query } from './query-params.js';
import type { ResponseCache } from '../response-cache.js';

type Q = Query;

export function registerTrackingRoutes(app: FastifyInstance, tracking: TrackingService, cache: ResponseCache): void {
  app.post<{ Body: { name: string; artifactLocation?: string; tags?: Tag[] } }>('/experiments', { schema: { body: schemas.createExperimentBody } }, async (req, reply) => {
    const experimentId = await tracking.createExperiment(req.body);
    return reply.status(201).send({ experimentId });
  });
  app.get<{ Querystring: Q }>('/experiments', async (req) => {
    const q = req.query;
    const page = await tracking.searchExperiments({
      ...(strQuery(q, 'filter') ? { filter: strQuery(q, 'filter') } : {}),
      ...(listQuery(q, 'orderBy') ? { orderBy: listQuery(q, 'orderBy') } : {}),
      ...(strQuery(q, 'pageToken') ? { pageToken: strQuery(q, 'pageToken') } : {}),
      ...(strQuery(q, 'viewType') ? { viewType: strQuery(q, 'viewType') as ViewType } : {}),
      ...(intQuery(q, 'maxResults') !== undefined ? { maxResults: intQuery(q, 'maxResults') } : {}),
    });
    return { experiments: page.items, nextPageToken: page.nextPageToken };
  });
  app.get<{ Params: { name: string } }>('/experiments/by-name/:name', async (req) => tracking.getExperimentByName(req.params.name));
  app.get<{ Params: { id: string } }>('/experiments/:id', async (req) => tracking.getExperiment(req.params.id));
  app.patch<{ Params: { id: string }; Body: { name: string } }>('/experiments/:id', { schema: { body: schemas.renameExperimentBody } }, async (req) => {
    await tracking.renameExperiment(req.params.id, req.body.name);
    return tracking.getExperiment(req.params.id);
  });
  app.delete<{ Params: { id: string } }>('/experiments/:id', async (req, reply) => {
    await tracking.deleteExperiment(req.params.id);
    return reply.status(204).send();
  });
  app.post<{ Params: { id: string } }>('/experiments/:id/restore', async (req) => {
    await tracking.restoreExperiment(req.params.id);
    return tracking.getExperiment(req.params.id);
  });
  app.put<{ Params: { id: string; key: string }; Body: { value: string } }>('/experiments/:id/tags/:key', { schema: { body: schemas.tagValueBody } }, async (req, reply) => {
    await tracking.setExperimentTag(req.params.id, req.params.key, req.body.value);
    return reply.status(204).send();
  });
  app.delete<{ Params: { id: string; key: string } }>('/experiments/:id/tags/:key', async (req, reply) => {
    await tracking.deleteExperimentTag(req.params.id, req.params.key);
    return reply.status(204).send();
  });

  app.post<{ Body: CreateRunInput & { parentRunId?: string } }>('/runs', { schema: { body: schemas.createRunBody } }, async (req, reply) => {
    return reply.status(201).send(encodeRun(await tracking.createRun({ ...req.body, experimentId: req.body.experimentId ?? '0' })));
  });
  app.post<{ Body: SearchRunsInput }>('/runs/search', { schema: { body: schemas.searchRunsBody } }, async (req, reply) => {
    const body = await cache.getOrCompute(`native runs/search ${JSON.stringify(req.body)}`, await tracking.dataVersion(), async () => {
      const page = await tracking.searchRuns(req.body);
      return Buffer.from(JSON.stringify({ runs: page.items.map(encodeRun), nextPageToken: page.nextPageToken }));
    });
    return reply.type('application/json; charset=utf-8').send(body);
  });
  app.get<{ Params: { id: string } }>('/runs/:id', async (req) => encodeRun(await tracking.getRun(req.params.id)));
  app.patch<{ Params: { id: string }; Body: UpdateRunInput }>('/runs/:id', { schema: { body: schemas.updateRunBody } }, async (req) =>
    tracking.updateRun(req.params.id, req.body),
  );
  app.delete<{ Params: { id: string } }>('/runs/:id', async (req, reply) => {
    await tracking.deleteRun(req.params.id);
    return reply.status(204).send();
  });
  app.post<{ Params: { id: string } }>('/runs/:id/restore', async (req) => {
    await tracking.restoreRun(req.params.id);
    return encodeRun(await tracking.getRun(req.params.id));
  });
  app.post<{ Params: { id: string }; Body: Omit<LogBatch, 'metrics'> & { metrics?: WireMetric[] } }>(
    '/runs/:id/batch',
    { schema: { body: schemas.logBatchBody } },
    async (req, reply) => {
      const { metrics, params, tags } = req.body;
      await tracking.logBatch(req.params.id, { metrics: (metrics ?? []).map((m) => decodeMetric({ ...m, step: m.step ?? 0 })), params: params ?? [], tags: tags ?? [] });
      return reply.status(204).send();
    },
  );
  app.delete<{ Params: { id: string; key: string } }>('/runs/:id/tags/:key', async (req, reply) => {
    await tracking.deleteTag(req.params.id, req.params.key);
    return reply.status(204).send();
  });
  app.post<{ Params: { id: string }; Body: { datasets: DatasetInput[] } }>('/runs/:id/inputs', { schema: { body: schemas.logInputsBody } }, async (req, reply) => {
    await tracking.logInputs(req.params.id, req.body.datasets.map((d) => ({ tags: d.tags ?? [], dataset: d.dataset })));
    return reply.status(204).send();
  });
  app.get<{ Params: { id: string; key: string }; Querystring: Q }>('/runs/:id/metrics/:key/history', async (req, reply) => {
    const q = req.query;
    const maxResults = intQuery(q, 'maxResults');
    const maxPoints = intQuery(q, 'maxPoints');
    const pageToken = strQuery(q, 'pageToken');
    const paging = { ...(maxResults !== undefined ? { maxResults } : {}), ...(pageToken ? { pageToken } : {}) };
    if (maxPoints !== undefined) {
      const page = await tracking.getMetricHistory(req.params.id, req.params.key, { ...paging, maxPoints });
      return { metrics: page.items.map(encodeMetric), nextPageToken: page.nextPageToken };
    }
    // Full histories come from the database as JSON bytes; re-parsing them would cost ~3x.
    const key = `native history ${JSON.stringify([req.params.id, req.params.key, paging])}`;
    const body = await cache.getOrCompute(key, await tracking.dataVersion(), async () => {
      const page = await tracking.getMetricHistoryJson(req.params.id, req.params.key, paging);
      return Buffer.concat([Buffer.from('{"metrics":'), page.json, Buffer.from(`,"nextPageToken":${JSON.stringify(page.nextPageToken)}}`)]);
    });
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
