/**
 * Open Inference Protocol v2 over REST, as KServe, Triton and MLServer speak it: any OIP client
 * works against Gyre. Errors are the protocol's `{"error": "..."}` with 400 for bad input, 404 for an
 * unknown model or version and 503 while not ready. Register with `{ prefix: '/v2' }`.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServedModels } from '../../serving/served-models.js';
import { fromHttpError } from '../http-errors.js';
import { GYRE_VERSION } from '../../core/version.js';

interface ModelParams {
  model: string;
  version?: string;
}

export async function oipPlugin(app: FastifyInstance, opts: { served: ServedModels }): Promise<void> {
  const { served } = opts;
  app.setErrorHandler((err, _req, reply) => {
    const g = fromHttpError(err);
    if (g.status >= 500 && g.code !== 'UNAVAILABLE') reply.log.error({ err }, 'inference failed');
    // 503s (loading, back-pressure) tell the client when to come back.
    if (g.code === 'UNAVAILABLE') reply.header('retry-after', String(g.details.retryAfterSeconds ?? 1));
    return reply.status(g.status).send({ error: g.message });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: `No endpoint ${req.method} ${req.url.split('?')[0]}.` }));

  app.get('/', async () => ({ name: 'gyre', version: GYRE_VERSION, extensions: [] }));
  app.get('/health/live', async () => ({ live: true }));
  app.get('/health/ready', async (_req, reply) => {
    const ready = served.allReady();
    return reply.status(ready ? 200 : 503).send({ ready });
  });

  app.get<{ Params: ModelParams }>('/models/:model', async (req) => served.metadata(req.params.model));
  app.get<{ Params: ModelParams }>('/models/:model/versions/:version', async (req) => served.metadata(req.params.model, req.params.version));

  const ready = (p: ModelParams) => {
    served.checkReady(p.model, p.version); // NOT_FOUND (404) or UNAVAILABLE (503) are thrown
    return { name: p.model, ...(p.version !== undefined ? { version: p.version } : {}), ready: true };
  };
  app.get<{ Params: ModelParams }>('/models/:model/ready', async (req) => ready(req.params));
  app.get<{ Params: ModelParams }>('/models/:model/versions/:version/ready', async (req) => ready(req.params));

  const infer = async (req: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
    const requestId = requestIdOf(req);
    reply.header('x-request-id', requestId);
    return served.infer(req.params.model, req.params.version, req.body, { headers: req.headers, requestId });
  };
  app.post<{ Params: ModelParams }>('/models/:model/infer', infer);
  app.post<{ Params: ModelParams }>('/models/:model/versions/:version/infer', infer);
}

/** The id labels are later joined by: the caller's x-request-id, else the OIP body's id, else a new one. */
export function requestIdOf(req: FastifyRequest): string {
  const header = req.headers['x-request-id'];
  if (typeof header === 'string' && header !== '') return header;
  const id = (req.body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : randomUUID();
}
