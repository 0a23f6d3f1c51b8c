/**
 * Native monitoring API under /api/v1: reference profiles, monitors, their per-window results and
 * time series, alerts, an on-demand run and the HTML report. Specs are checked by the service
 * (one set of messages for REST, CLI and SDK); the schemas only shape the body.
 */
import type { FastifyInstance } from 'fastify';
import type { MonitoringService } from '../../monitoring/monitoring-service.js';
import type { MonitorSpec } from '../../monitoring/monitors/entities.js';
import { intQuery, strQuery } from './query-params.js';
import type { Query } from './query-params.js';
import { invalidArgument } from '../../core/errors.js';
import { monitorReport } from '../../monitoring/report/monitor-report.js';

const str = { type: 'string' } as const;
const tags = ['monitoring'];
type Named = { Params: { name: string } };

const createBody = {
  type: 'object',
  required: ['name', 'deployment', 'profile', 'window', 'rules'],
  properties: { name: str, deployment: str, profile: str, window: { type: 'object' }, rules: { type: 'array', items: { type: 'object' } }, columns: { type: 'array', items: str }, perColumn: { type: 'object' } },
} as const;
const profileBody = {
  type: 'object',
  required: ['name'],
  properties: { name: str, dataset: str, deployment: str, from: { type: 'integer' }, to: { type: 'integer' }, columns: { type: 'array', items: str }, predictionColumn: str },
} as const;

interface ProfileRequest {
  name: string;
  dataset?: string;
  deployment?: string;
  from?: number;
  to?: number;
  columns?: string[];
  predictionColumn?: string;
}

export function registerMonitorRoutes(app: FastifyInstance, monitoring: MonitoringService): void {
  app.post<{ Body: ProfileRequest }>('/monitor-profiles', { schema: { tags, body: profileBody } }, async (req, reply) => {
    const b = req.body;
    let stored;
    if (b.dataset !== undefined && b.deployment === undefined) {
      stored = await monitoring.profiles.fromDataset(b.name, b.dataset, { ...(b.columns ? { columns: b.columns } : {}), ...(b.predictionColumn ? { predictionColumn: b.predictionColumn } : {}) });
    } else if (b.deployment !== undefined && b.dataset === undefined && b.from !== undefined && b.to !== undefined) {
      stored = await monitoring.profiles.fromInferenceLog(b.name, b.deployment, b.from, b.to);
    } else {
      throw invalidArgument('A profile is fitted from "dataset" (NAME@VERSION or a file) or from "deployment" with "from" and "to" (epoch ms) of its inference log; give one of the two.', { field: 'dataset' });
    }
    const { profile: _body, ...summary } = stored;
    return reply.status(201).send(summary);
  });
  app.get('/monitor-profiles', { schema: { tags } }, async () => ({ profiles: await monitoring.profiles.list() }));
  app.get<Named>('/monitor-profiles/:name', { schema: { tags } }, async (req) => monitoring.profiles.get(req.params.name));

  app.post<{ Body: MonitorSpec & { name: string } }>('/monitors', { schema: { tags, body: createBody } }, async (req, reply) => {
    const { name, ...spec } = req.body;
    return reply.status(201).send(await monitoring.create(name, spec));
  });
  app.get('/monitors', { schema: { tags } }, async () => ({ monitors: await monitoring.list() }));
  app.get<Named>('/monitors/:name', { schema: { tags } }, async (req) => monitoring.get(req.params.name));
  app.delete<Named>('/monitors/:name', { schema: { tags } }, async (req, reply) => {
    await monitoring.delete(req.params.name);
    return reply.status(204).send();
  });
  app.post<Named & { Body: { now?: number } | undefined }>(
    '/monitors/:name/run',
    { schema: { tags, body: { type: ['object', 'null'], properties: { now: { type: 'integer' } } } } },
    async (req) => {
      await monitoring.get(req.params.name);
      return monitoring.run(req.params.name, req.body?.now ?? Date.now());
    },
  );
  app.get<Named & { Querystring: Query }>('/monitors/:name/results', { schema: { tags } }, async (req) => {
    await monitoring.get(req.params.name);
    return { windows: await monitoring.results(req.params.name, range(req.query)) };
  });
  app.get<Named & { Querystring: Query }>('/monitors/:name/series', { schema: { tags } }, async (req) => {
    const metric = strQuery(req.query, 'metric');
    if (!metric) throw invalidArgument("Query parameter 'metric' is required, e.g. ?metric=drift_score&feature=temp.", { field: 'metric' });
    const feature = strQuery(req.query, 'feature');
    const { from, to } = range(req.query);
    return { metric, feature: feature ?? '', points: await monitoring.series(req.params.name, metric, { ...(feature ? { feature } : {}), ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }) };
  });
  app.get<{ Querystring: Query }>('/monitor-alerts', { schema: { tags } }, async (req) => {
    const status = strQuery(req.query, 'status');
    if (status !== undefined && status !== 'firing' && status !== 'resolved') throw invalidArgument(`Query parameter 'status' is 'firing' or 'resolved', got '${status}'.`, { field: 'status' });
    const monitor = strQuery(req.query, 'monitor');
    return { alerts: await monitoring.listAlerts({ ...(monitor ? { monitor } : {}), ...(status ? { status } : {}), limit: intQuery(req.query, 'limit') ?? 100 }) };
  });
  app.get<Named & { Querystring: Query }>('/monitors/:name/report', { schema: { tags } }, async (req, reply) => {
    const html = await monitorReport(monitoring, req.params.name, { limit: intQuery(req.query, 'limit') ?? 500 });
    return reply.type('text/html; charset=utf-8').send(html);
  });
}

function range(q: Query): { from?: number; to?: number; limit?: number } {
  const from = intQuery(q, 'from');
  const to = intQuery(q, 'to');
  const limit = intQuery(q, 'limit');
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(limit !== undefined ? { limit } : {}) };
}
