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
    return { status: 200, headers: withRequestId({ 'content-type': JSON_TYPE }, requestId), body: JSON.stringify(response) };
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
    return { status: 200, headers: withRequestId({ 'content-type': JSON_TYPE }, requestId), body: JSON.stringify(response) };
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

/**
 * A body's `id` may be any string; it is echoed in `x-request-id` only when it can be a header
 * value as it is (printable ASCII, no surrounding spaces, at most 256 characters): a newline or a
 * non-Latin-1 character would make writing the head throw. The answer's body and the inference log
 * carry the id whatever it is.
 */
const HEADER_SAFE_ID = /^[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?$/;

function withRequestId(headers: Record<string, string>, requestId: string | undefined): Record<string, string> {
  if (requestId && HEADER_SAFE_ID.test(requestId)) headers['x-request-id'] = requestId;
  return headers;
}

function errorHeaders(g: GyreError, requestId?: string): Record<string, string> {
  const headers = withRequestId({ 'content-type': JSON_TYPE }, requestId);
  if (g.code === 'UNAVAILABLE') headers['retry-after'] = String(g.details.retryAfterSeconds ?? 1);
  return headers;
}
