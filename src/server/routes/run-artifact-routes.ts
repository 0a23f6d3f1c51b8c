/** Native run-artifact API: stream uploads and downloads by path relative to the run's root. */
import type { FastifyInstance } from 'fastify';
import type { RunArtifacts } from '../../tracking/run-artifacts.js';

type Params = { id: string; '*': string };

export function registerRunArtifactRoutes(app: FastifyInstance, artifacts: RunArtifacts): void {
  // Artifact bodies are opaque bytes, whatever Content-Type the client sends: stream them through.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  app.get<{ Params: { id: string }; Querystring: { path?: string } }>('/runs/:id/artifacts', async (req) => artifacts.list(req.params.id, req.query.path ?? ''));
  app.get<{ Params: Params }>('/runs/:id/artifacts/*', async (req, reply) => {
    const stream = await artifacts.download(req.params.id, req.params['*']);
    return reply.type('application/octet-stream').send(stream);
  });
  app.put<{ Params: Params }>('/runs/:id/artifacts/*', async (req, reply) => {
    const info = await artifacts.upload(req.params.id, req.params['*'], (req.body as NodeJS.ReadableStream | undefined) ?? new Uint8Array());
    return reply.status(201).send(info);
  });
}
