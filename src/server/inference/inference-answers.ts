/**
 * The two inference endpoints — OIP `POST /v2/models/{m}[/versions/{v}]/infer` and records
 * `POST /api/v1/deployments/{name}/predict` — as functions from a parsed body to the bytes on the
 * wire. Both transports call these: the Fastify routes (every other path, and `inject` in tests) and
 * the inference fast path in front of Fastify (inference-fast-path.ts). So an answer, an error and
 * its status are the same whichever way a request came in.
 */
import { randomUUID } from 'node:crypto';
import type { ServedModels, InferContext } from '../../serving/served-models.js';
import type { RecordsResponse } from '../../serving/deployments/deployment-runtime.js';
import { GyreError } from '../../core/errors.js';
import { fromHttpError } from '../http-errors.js';

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What answers records requests: the live deployments, or null in a process that serves none. */
export type RecordsPredictor = () => { predict(name: string, records: unknown, context: InferContext): Promise<RecordsResponse> } | null;

type Headers = InferContext['headers'];

const JSON_TYPE = 'application/json; charset=utf-8';

/** The id labels are later joined by: the caller's x-request-id, else the body's id, else a new one. */
export function requestIdOf(headers: Headers, body: unknown): string {
  const header = headers['x-request-id'];
  if (typeof header === 'string' && header !== '') return header;
  const id = (body as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : randomUUID();
}

/** `requestJson`: the body's text, when the transport has it (the inference log stores it as it is). */
export async function answerOipInfer(served: ServedModels, model: string, version: string | undefined, body: unknown, headers: Headers, onError?: (err: unknown) => void, requestJson?: string): Promise<WireAnswer> {
  const requestId = requestIdOf(headers, body);
  try {
    const response = await served.infer(model, version, body, { headers, requestId, ...(requestJson !== undefined ? { requestJson } : {}) });
    return { status: 200, headers: { 'content-type': JSON_TYPE, 'x-request-id': requestId }, body: JSON.stringify(response) };
  } catch (err) {
    return oipErrorAnswer(err, onError, requestId);
  }
}

export async function answerRecordsPredict(live: RecordsPredictor, name: string, body: unknown, headers: Headers, onError?: (err: unknown) => void, requestJson?: string): Promise<WireAnswer> {
  const requestId = requestIdOf(headers, body);
  try {
    const manager = live();
    if (!manager) throw new GyreError('UNAVAILABLE', 'This process serves no deployments (serving starts with gyre server).', { retryAfterSeconds: 5 });
    const records = typeof body === 'object' && body !== null ? (body as { records?: unknown }).records : undefined;
    const response = await manager.predict(name, records, { headers, requestId, ...(requestJson !== undefined ? { requestJson } : {}) });
    return { status: 200, headers: { 'content-type': JSON_TYPE, 'x-request-id': requestId }, body: JSON.stringify(response) };
  } catch (err) {
    return nativeErrorAnswer(err, onError, requestId);
  }
}

/** OIP's error shape, `{"error": "..."}`; 503s (loading, back-pressure) say when to come back. */
export function oipErrorAnswer(err: unknown, onError?: (err: unknown) => void, requestId?: string): WireAnswer {
  const g = fromHttpError(err);
  if (g.status >= 500 && g.code !== 'UNAVAILABLE') onError?.(err);
  return { status: g.status, headers: errorHeaders(g, requestId), body: JSON.stringify({ error: g.message }) };
}

/** The native API's error shape, `{"error": {"code", "message", "details"}}`. */
export function nativeErrorAnswer(err: unknown, onError?: (err: unknown) => void, requestId?: string): WireAnswer {
  const g = fromHttpError(err);
  if (g.status >= 500 && g.code !== 'UNAVAILABLE') onError?.(err);
  return { status: g.status, headers: errorHeaders(g, requestId), body: JSON.stringify(g.toJSON()) };
}

function errorHeaders(g: GyreError, requestId?: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': JSON_TYPE };
  if (requestId) headers['x-request-id'] = requestId;
  if (g.code === 'UNAVAILABLE') headers['retry-after'] = String(g.details.retryAfterSeconds ?? 1);
  return headers;
}
