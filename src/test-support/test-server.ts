/**
 * A real Gyre server over embedded stores in a fresh temp folder, for tests that talk HTTP:
 * `app.inject` for in-process requests, `listen()` when a real socket is needed.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { openServices } from '../services.js';
import type { Services } from '../services.js';
import { buildServer } from '../server/build-server.js';
import { tempDir } from './test-databases.js';

export interface TestServer {
  home: string;
  services: Services;
  app: FastifyInstance;
  /** Listens on a free loopback port and returns its URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function startTestServer(prefix = 'gyre-test-', options: { bodyLimit?: number } = {}): Promise<TestServer> {
  const home = tempDir(prefix);
  const services = await openServices({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
  const app = await buildServer({ services, ...options });
  return {
    home,
    services,
    app,
    listen: () => app.listen({ host: '127.0.0.1', port: 0 }),
    close: async () => {
      await app.close();
      await services.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
