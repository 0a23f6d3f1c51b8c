/**
 * A small HTTP client for Gyre's native API: JSON in and out, bearer token when configured, and
 * server errors turned back into the GyreError the server raised, so remote and local calls fail
 * the same way.
 */
import { GyreError, ERROR_CODES } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';

export class RestClient {
  readonly baseUrl: string;

  constructor(baseUrl: string, private readonly token: string | null = null) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  url(path: string, query: Record<string, string | number | string[] | undefined> = {}): string {
    const u = new URL(`${this.baseUrl}/api/v1${path}`);
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) u.searchParams.append(k, String(item));
    }
    return u.toString();
  }

  async json<T>(method: string, path: string, body?: unknown, query?: Record<string, string | number | string[] | undefined>, headers?: Record<string, string>): Promise<T> {
    const res = await this.send(method, this.url(path, query), body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : 'application/json', headers);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** Sends a raw request; throws the server's GyreError on a non-2xx answer. */
  async send(method: string, url: string, body?: RequestInit['body'], contentType?: string, extraHeaders: Record<string, string> = {}): Promise<Response> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (contentType) headers['content-type'] = contentType;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    checkHeaderValues(headers);
    let res: Response;
    try {
      res = await fetch(url, { method, headers, ...(body !== undefined ? { body, duplex: 'half' } : {}) } as RequestInit);
    } catch (err) {
      throw new GyreError('UNAVAILABLE', `Cannot reach the Gyre server at ${this.baseUrl}: ${(err as Error).message}. Is it running (gyre server), and is GYRE_URL right?`, {
        url: this.baseUrl,
      });
    }
    if (res.ok) return res;
    const text = await res.text();
    let parsed: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      /* not JSON: reported below with the raw text */
    }
    const code = parsed.error?.code && parsed.error.code in ERROR_CODES ? (parsed.error.code as ErrorCode) : res.status === 404 ? 'NOT_FOUND' : res.status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT';
    throw new GyreError(code, parsed.error?.message ?? `Gyre server answered ${res.status}: ${text.slice(0, 200)}`, parsed.error?.details ?? {});
  }
}

/**
 * HTTP header values are Latin-1: fetch refuses anything else with a TypeError, which would be
 * reported as an unreachable server. The one value a user sets is their name (X-Gyre-User).
 */
function checkHeaderValues(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!/[^\u0000-\u00ff]/.test(value)) continue;
    const hint = name === 'x-gyre-user' ? ` Set GYRE_USER to a name of Latin-1 characters (it defaults to your OS user name).` : '';
    throw new GyreError('INVALID_ARGUMENT', `The ${name} header would be '${value}', which has characters an HTTP header cannot carry.${hint}`, { header: name });
  }
}
