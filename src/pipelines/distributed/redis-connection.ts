/** BullMQ connection options from a `redis://[user:pass@]host:port[/db]` URL. */
import { invalidArgument } from '../../core/errors.js';

export interface RedisOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
  /** BullMQ workers block on Redis; ioredis must not give up on those commands. */
  maxRetriesPerRequest: null;
}

export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalidArgument(`GYRE_REDIS_URL '${url}' is not a URL. Use redis://host:6379 (or rediss:// for TLS).`, { url });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw invalidArgument(`GYRE_REDIS_URL must start with redis:// or rediss://, got '${url}'.`, { url });
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

export const STEP_QUEUE = 'pipeline-steps';
