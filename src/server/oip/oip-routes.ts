/**
 * Open Inference Protocol v2 over REST, as KServe, Triton and MLServer speak it: any OIP client
 * works against Gyre. Errors are the protocol's `{"error": "..."}` with 400 for bad input, 404 for an
 * unknown model or version and 503 while not ready. Register with `{ prefix: '/v2' }`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServedModels } from '../../serving/served-models.js';
import { GYRE_VERSION } from '../../core/version.js';
import { answerOipInfer, oipErrorAnswer } from '../inference/inference-answers.js';
import type { WireAnswer } from '../inference/inference-answers.js';

interface ModelParams {
  model: string;
  version?: string;
}

export async function oipPlugin(app: FastifyInstance, opts: { served: ServedModels }): Promise<void> {
  const { served } = opts;
  app.setErrorHandler((err, _req, reply) => sendAnswer(reply, oipErrorAnswer(err, (e) => reply.log.error({ err: e }, 'inference failed'))));
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

  // The same answers as the inference fast path in front of Fastify (server/inference/).
  const infer = async (req: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) =>
    sendAnswer(reply, await answerOipInfer(served, req.params.model, req.params.version, req.body, req.headers, (err) => req.log.error({ err }, 'inference failed')));
  app.post<{ Params: ModelParams }>('/models/:model/infer', infer);
  app.post<{ Params: ModelParams }>('/models/:model/versions/:version/infer', infer);
}

/** Sends an answer built for the wire as it is (its body is already JSON text). */
export function sendAnswer(reply: FastifyReply, answer: WireAnswer): FastifyReply {
  return reply.status(answer.status).headers(answer.headers).send(answer.body);
}
