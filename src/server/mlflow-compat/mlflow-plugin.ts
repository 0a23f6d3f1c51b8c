/**
 * Mounts the MLflow-compatible API: tracking under /api/2.0/mlflow and /ajax-api/2.0/mlflow (the
 * prefix MLflow's own UI uses), the artifact proxy under /api/2.0/mlflow-artifacts. Errors leave
 * as {"error_code", "message"} with MLflow's statuses.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TrackingService } from '../../tracking/tracking-service.js';
import type { RunArtifacts } from '../../tracking/run-artifacts.js';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import { invalidArgument } from '../../core/errors.js';
import { mlflowErrorResponse } from '../http-errors.js';
import { actorOf } from '../request-actor.js';
import type { ResponseCache } from '../response-cache.js';
import { mlflowTrackingRoutes } from './tracking-routes.js';
import { registerMlflowArtifactRoutes } from './artifact-routes.js';
import { mlflowRegistryRoutes } from './registry-routes.js';
import type { RegistryService } from '../../registry/registry-service.js';

export interface MlflowPluginOptions {
  tracking: TrackingService;
  runArtifacts: RunArtifacts;
  artifactStore: ArtifactStore;
  cache: ResponseCache;
  registry: RegistryService;
}

const sendMlflowError = (err: unknown, reply: FastifyReply) => {
  const { status, body } = mlflowErrorResponse(err);
  if (status >= 500) reply.log.error({ err }, 'MLflow API request failed');
  return reply.status(status).send(body);
};

export async function mlflowPlugin(app: FastifyInstance, opts: MlflowPluginOptions): Promise<void> {
  const routes = [...mlflowTrackingRoutes(opts.tracking, opts.runArtifacts, opts.cache), ...mlflowRegistryRoutes(opts.registry)];
  for (const prefix of ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow']) {
    await app.register(async (scope) => {
      scope.setErrorHandler((err, _req, reply) => sendMlflowError(err, reply));
      // MLflow's server takes POST bodies only as application/json (mlflow/server/validation.py):
      // without this, Fastify's text/plain parser would hand the handlers a string, and a POST
      // whose fields are all optional (experiments/search) would succeed.
      scope.removeContentTypeParser('text/plain');
      scope.setNotFoundHandler((req, reply) =>
        reply.status(404).send({ error_code: 'ENDPOINT_NOT_FOUND', message: `No MLflow endpoint ${req.method} ${req.url.split('?')[0]}. See docs/mlflow-compatibility.md for what Gyre serves.` }),
      );
      for (const route of routes) {
        scope.route({
          method: route.method,
          url: `/${route.path}`,
          ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
          handler: async (req: FastifyRequest, reply: FastifyReply) => {
            if (route.method !== 'GET' && req.headers['content-type'] === undefined) {
              throw invalidArgument('Bad Request. Content-Type header is missing; send the request as application/json.');
            }
            const input = (route.method === 'GET' ? req.query : req.body) ?? {};
            const body = await route.handle(input as Record<string, unknown>, { user: actorOf(req).user });
            // Already-serialised JSON (long metric histories): send it as is.
            return typeof body === 'string' || Buffer.isBuffer(body) ? reply.type('application/json; charset=utf-8').send(body) : body;
          },
        });
      }
    }, { prefix });
  }
  await app.register(async (scope) => {
    scope.setErrorHandler((err, _req, reply) => sendMlflowError(err, reply));
    registerMlflowArtifactRoutes(scope, opts.artifactStore);
  }, { prefix: '/api/2.0/mlflow-artifacts' });
}
