/** The actor of an HTTP request: X-Gyre-User (unauthenticated until governance lands), else 'anonymous'. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.js';

export function actorOf(req: FastifyRequest, reason?: unknown): Actor {
  const header = req.headers['x-gyre-user'];
  return { user: typeof header === 'string' && header ? header : 'anonymous', reason: typeof reason === 'string' ? reason : null };
}
