/**
 * Prometheus exposition at /metrics: HTTP requests by route and status (route templates, not raw
 * URLs, so ids do not explode the label set), process metrics, and whatever the domains register
 * on the same registry (serving, monitoring).
 */
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics } from 'prom-client';
import { FastHistogram } from '../core/fast-metrics.js';
import type { Registry } from 'prom-client';

/** Records one HTTP request answered outside Fastify's hooks (the inference fast path). */
export type ObserveRequest = (method: string, route: string, status: number, seconds: number) => void;

export function registerMetrics(app: FastifyInstance, registry: Registry): ObserveRequest {
  collectDefaultMetrics({ register: registry, prefix: 'gyre_' });
  const duration = new FastHistogram({
    name: 'gyre_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status code.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  // Series per (method, route, status), resolved once each.
  const series = new Map<string, { observe(seconds: number): void }>();
  const observe: ObserveRequest = (method, route, status, seconds) => {
    const key = `${method} ${route} ${status}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = duration.labels(method, route, String(status))));
    s.observe(seconds);
  };
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics') observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  return observe;
}
