/**
 * The one conversion point from anything thrown to what an HTTP edge answers. Fastify's own
 * errors (bad JSON, wrong content type, body too large) become GyreErrors first, so every edge
 * reports them in its own format with the right status.
 */
import { ERROR_CODES, GyreError, toGyreError } from '../core/errors.js';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

export function fromHttpError(err: unknown): GyreError {
  if (err instanceof GyreError) return err;
  const e = err as FastifyLikeError;
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GyreError('INVALID_ARGUMENT', `Malformed JSON in request body: ${e.message ?? 'parse error'}. Send a valid JSON object.`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GyreError('INVALID_ARGUMENT', "The request body is empty but Content-Type is application/json. Send a JSON object ('{}' at least).");
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GyreError('INVALID_ARGUMENT', `Bad Request. Content-Type must be application/json (${e.message ?? ''}).`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GyreError('PAYLOAD_TOO_LARGE', `The request body is larger than this endpoint accepts (${e.message ?? ''}). Split it into smaller requests.`);
    default:
      break;
  }
  if (err instanceof SyntaxError) return new GyreError('INVALID_ARGUMENT', `Malformed JSON in request body: ${err.message}.`);
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new GyreError('INVALID_ARGUMENT', e.message ?? 'Bad request.');
  return toGyreError(err);
}

export function nativeErrorResponse(err: unknown): { status: number; body: unknown } {
  const g = fromHttpError(err);
  return { status: g.status, body: g.toJSON() };
}

export function mlflowErrorResponse(err: unknown): { status: number; body: { error_code: string; message: string } } {
  const g = fromHttpError(err);
  const mapping = ERROR_CODES[g.code];
  return { status: mapping.mlflowStatus, body: { error_code: mapping.mlflow, message: g.message } };
}
