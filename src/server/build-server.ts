/**
 * Builds the HTTP server: native API (/api/v1), MLflow-compatible API (/api/2.0/mlflow…),
 * health. No module-level state: everything comes from the services passed in, so tests can build
 * as many servers as they like.
 */
import http from 'node:http';
import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Services } from '../services.js';
import { nativeErrorResponse } from './http-errors.js';
import { registerTrackingRoutes } from './routes/tracking-routes.js';
import { registerRunArtifactRoutes } from './routes/run-artifact-routes.js';
import { registerWebhookRoutes } from './routes/webhook-routes.js';
import { registerRegistryRoutes } from './routes/registry-routes.js';
import { registerModelRoutes } from './routes/model-routes.js';
import { registerDeploymentRoutes } from './routes/deployment-routes.js';
import { oipPlugin } from './oip/oip-routes.js';
import { lazyServedModels } from '../serving/served-models.js';
import { registerMetrics } from './http-metrics.js';
import type { ObserveRequest } from './http-metrics.js';
import { inferenceFastPath } from './inference/inference-fast-path.js';
import { registerDataRoutes } from './routes/data-routes.js';
import { registerMonitorRoutes } from './routes/monitor-routes.js';
import { registerPipelineRoutes } from '../pipelines/pipeline-routes.js';
import { mlflowPlugin } from './mlflow-compat/mlflow-plugin.js';
import { GYRE_VERSION } from '../core/version.js';
import { ResponseCache } from './response-cache.js';

export interface ServerOptions {
  services: Services;
  logger?: FastifyServerOptions['logger'];
  /** Bytes a JSON body may have (default 32 MiB); larger ones are refused with 413. */
  bodyLimit?: number;
}

// JSON bodies beyond MLflow's log-batch limit are still accepted on other endpoints (e.g. large
// dataset schemas, 1,000-row inference batches), but not without bound.
const JSON_BODY_LIMIT = 32 * 1024 * 1024;

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const { services } = opts;
  const bodyLimit = opts.bodyLimit ?? JSON_BODY_LIMIT;
  const served = lazyServedModels(services.serving.manager);
  // Set once the metrics are registered; the fast path is built with the server, before that.
  let observe: ObserveRequest | undefined;
  let logError: (err: unknown) => void = () => {};
  let parseJson: (text: string) => unknown = () => undefined;
  let listening = () => true;
  const fastPath = inferenceFastPath({
    served,
    records: services.serving.manager,
    bodyLimit,
    parseJson: (t) => parseJson(t),
    observe: (...a) => observe?.(...a),
    onError: (err) => logError(err),
    closing: () => !listening(),
  });
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit,
    // Inference requests are answered in front of Fastify (server/inference/); the rest go through it.
    serverFactory: (handler, factoryOptions) => {
      const o = factoryOptions as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number };
      const server = http.createServer((req, res) => fastPath(req, res) || handler(req, res));
      listening = () => server.listening;
      // What Fastify sets on the servers it creates itself.
      server.keepAliveTimeout = o.keepAliveTimeout ?? 72_000;
      server.requestTimeout = o.requestTimeout ?? 0;
      server.setTimeout(o.connectionTimeout ?? 0);
      return server;
    },
    // Bodies are validated as sent: "12" is not a number and 12 is not a string.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allowUnionTypes: true } },
    // A killed client must not leave work queued forever behind it.
    requestTimeout: 120_000,
  });
  const cache = new ResponseCache();
  logError = (err) => app.log.error({ err }, 'inference failed');
  // Fastify's default JSON parser (synchronous), so fast-path bodies are parsed and refused exactly as Fastify's.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  parseJson = (text) => {
    let result: { err: unknown; body: unknown } = { err: null, body: undefined };
    defaultJson({} as never, text, (err, body) => (result = { err, body }));
    if (result.err) throw result.err;
    return result.body;
  };

  // OpenAPI is generated from the route schemas; only the native API is described (MLflow's API has
  // its own documentation and OIP its own specification).
  await app.register(swagger, {
    openapi: { info: { title: 'Gyre API', version: GYRE_VERSION, description: 'Native API of Gyre. Errors: {"error": {"code", "message", "details"}}.' } },
    hideUntagged: false,
    transform: ({ schema, url }) => ({ schema: { ...schema, hide: !url.startsWith('/api/v1') }, url }),
  });

  app.get('/health', async () => ({ status: 'ok', version: GYRE_VERSION }));
  observe = registerMetrics(app, services.metrics);

  await app.register(
    async (api) => {
      api.setErrorHandler((err, _req, reply) => {
        const { status, body } = nativeErrorResponse(err);
        if (status >= 500) reply.log.error({ err }, 'request failed');
        return reply.status(status).send(body);
      });
      api.setNotFoundHandler((req, reply) =>
        reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No endpoint ${req.method} ${req.url.split('?')[0]}.`, details: {} } }),
      );
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      registerTrackingRoutes(api, services.tracking, cache);
      registerDataRoutes(api, services.data);
      await api.register(async (scope) => registerRunArtifactRoutes(scope, services.runArtifacts));
      registerWebhookRoutes(api, services.webhooks);
      registerRegistryRoutes(api, services.registry);
      registerModelRoutes(api, services.models);
      registerDeploymentRoutes(api, services.serving.deployments, services.serving.inferenceLog, services.serving.manager);
      registerMonitorRoutes(api, services.monitoring);
      registerPipelineRoutes(api, services);
    },
    { prefix: '/api/v1' },
  );

  // OIP v2 (KServe, Triton, MLServer clients): the deployments this process serves.
  await app.register(oipPlugin, { served, prefix: '/v2' });
  await app.register(mlflowPlugin, { registry: services.registry, tracking: services.tracking, runArtifacts: services.runArtifacts, artifactStore: services.artifactStore, cache });
  return app;
}
