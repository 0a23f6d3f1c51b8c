/**
 * The inference endpoints served straight from node:http, in front of Fastify. A model server's
 * hot path is one small POST after another; Fastify's routing, hooks, reply objects and
 * serializers cost about as much per request as the model does (bench/serving.js), so
 * `POST /v2/models/{m}[/versions/{v}]/infer` and `POST /api/v1/deployments/{name}/predict` with
 * a JSON body are read, parsed and answered here, by the same answer functions the Fastify routes
 * use (inference-answers.ts). Everything else — other methods and paths, a non-JSON content type,
 * a declared length over the limit — is left to Fastify, which answers it as it always has.
 * Requests answered here are counted in the same HTTP duration metric; they are not access-logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GyreError } from '../../core/errors.js';
import type { ServedModels } from '../../serving/served-models.js';
import { answerOipInfer, answerRecordsPredict, nativeErrorAnswer, oipErrorAnswer } from './inference-answers.js';
import type { RecordsPredictor, WireAnswer } from './inference-answers.js';

export interface FastPathDeps {
  served: ServedModels;
  records: RecordsPredictor;
  /** Bytes a body may have (the server's body limit). */
  bodyLimit: number;
  /** Fastify's own JSON body parser (prototype-poisoning checks and errors included), as a function. */
  parseJson: (text: string) => unknown;
  /** Called per answered request with the route template, as the server's onResponse hook records the rest. */
  observe?: (method: string, route: string, status: number, seconds: number) => void;
  onError?: (err: unknown) => void;
  /** True once the server is closing: answers then close their connection, so close() can finish. */
  closing?: () => boolean;
}

type Route = { kind: 'oip'; model: string; version: string | undefined; template: string } | { kind: 'records'; name: string; template: string };

const OIP = '/v2/models/:model/infer';
const OIP_VERSION = '/v2/models/:model/versions/:version/infer';
const RECORDS = '/api/v1/deployments/:name/predict';

/** The inference route of a request, or null (then Fastify handles it). */
export function inferenceRoute(method: string | undefined, url: string | undefined): Route | null {
  if (method !== 'POST' || !url) return null;
  const q = url.indexOf('?');
  const parts = (q === -1 ? url : url.slice(0, q)).split('/');
  try {
    if (parts[1] === 'v2' && parts[2] === 'models' && parts[3]) {
      if (parts.length === 5 && parts[4] === 'infer') return { kind: 'oip', model: decodeURIComponent(parts[3]), version: undefined, template: OIP };
      if (parts.length === 7 && parts[4] === 'versions' && parts[5] && parts[6] === 'infer') return { kind: 'oip', model: decodeURIComponent(parts[3]), version: decodeURIComponent(parts[5]), template: OIP_VERSION };
    }
    if (parts.length === 6 && parts[1] === 'api' && parts[2] === 'v1' && parts[3] === 'deployments' && parts[4] && parts[5] === 'predict') return { kind: 'records', name: decodeURIComponent(parts[4]), template: RECORDS };
  } catch {
    // A malformed percent-encoding: Fastify's router answers it.
  }
  return null;
}

/** `application/json`, with parameters or not, and nothing else (Fastify's JSON parser's rule). */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase() === 'application/json';
}

/** Returns a request handler that answers inference requests and returns false for any other. */
export function inferenceFastPath(deps: FastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const route = inferenceRoute(req.method, req.url);
    if (!route || !isJson(req.headers['content-type'])) return false;
    const declared = req.headers['content-length'];
    if (declared !== undefined && !(Number(declared) <= deps.bodyLimit)) return false;
    const started = performance.now();
    readBody(req, deps.bodyLimit)
      .then((text) => answer(deps, route, text, req.headers))
      .catch((err: unknown) => (route.kind === 'oip' ? oipErrorAnswer : nativeErrorAnswer)(err, deps.onError))
      .then((a) => {
        if (res.destroyed) return;
        // A body cut short by the limit is not read on, and a closing server keeps no idle
        // connection open (as Fastify does for its own answers): the connection closes after the answer.
        if (a.status === 413 || deps.closing?.()) a.headers.connection = 'close';
        a.headers['content-length'] = String(Buffer.byteLength(a.body));
        res.writeHead(a.status, a.headers);
        res.end(a.body);
        deps.observe?.('POST', route.template, a.status, (performance.now() - started) / 1000);
      })
      // Nothing above should throw; if writing the answer ever does, the connection ends rather
      // than the rejection ending the process.
      .catch((err: unknown) => {
        deps.onError?.(err);
        res.destroy();
      });
    return true;
  };
}

async function answer(deps: FastPathDeps, route: Route, text: string, headers: IncomingMessage['headers']): Promise<WireAnswer> {
  const body = deps.parseJson(text);
  return route.kind === 'oip'
    ? answerOipInfer(deps.served, route.model, route.version, body, headers, deps.onError, text)
    : answerRecordsPredict(deps.records, route.name, body, headers, deps.onError, text);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new GyreError('PAYLOAD_TOO_LARGE', `The request body is larger than this endpoint accepts (over ${limit} bytes). Split it into smaller requests.`, { limit }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
