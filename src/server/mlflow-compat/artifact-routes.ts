/**
 * MLflow's artifact proxy (`mlflow server --serve-artifacts`): clients upload and download run
 * artifacts through the tracking server. Bodies stream straight to and from the artifact store,
 * whatever their Content-Type, so large files never sit whole in memory.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import { normalizeArtifactPath } from '../../artifacts/artifact-path.js';

type WildcardParams = { '*': string };

export function registerMlflowArtifactRoutes(app: FastifyInstance, store: ArtifactStore): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  app.get('/artifacts', async (req: FastifyRequest<{ Querystring: { path?: string } }>) => {
    const dir = normalizeArtifactPath(req.query.path ?? '', { allowEmpty: true });
    const files = await store.list(dir);
    // MLflow answers basenames here; its client joins them onto the listed path.
    const wire = files.map((f) => {
      const name = f.path.slice(f.path.lastIndexOf('/') + 1);
      return f.isDir ? { path: name, is_dir: true } : { path: name, is_dir: false, file_size: f.size ?? 0 };
    });
    return wire.length ? { files: wire } : {};
  });

  app.get('/artifacts/*', async (req: FastifyRequest<{ Params: WildcardParams }>, reply) => {
    const path = normalizeArtifactPath(req.params['*']);
    const stream = await store.get(path);
    return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${path.split('/').pop()}"`).send(stream);
  });

  app.put('/artifacts/*', async (req: FastifyRequest<{ Params: WildcardParams }>) => {
    const path = normalizeArtifactPath(req.params['*']);
    await store.put(path, (req.body as NodeJS.ReadableStream | undefined) ?? new Uint8Array());
    return {};
  });

  app.delete('/artifacts/*', async (req: FastifyRequest<{ Params: WildcardParams }>) => {
    await store.delete(normalizeArtifactPath(req.params['*']));
    return {};
  });
}
