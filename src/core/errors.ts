/**
 * The one error type of Gyre. Every failure a user can act on is a GyreError with a code from the
 * closed set below; the HTTP edges (native API, MLflow-compatible API, OIP) translate the code, and
 * nothing else decides statuses.
 */
export const ERROR_CODES = {
  INVALID_ARGUMENT: { status: 400, mlflow: 'INVALID_PARAMETER_VALUE', mlflowStatus: 400 },
  NOT_FOUND: { status: 404, mlflow: 'RESOURCE_DOES_NOT_EXIST', mlflowStatus: 404 },
  ALREADY_EXISTS: { status: 409, mlflow: 'RESOURCE_ALREADY_EXISTS', mlflowStatus: 400 },
  CONFLICT: { status: 409, mlflow: 'INVALID_PARAMETER_VALUE', mlflowStatus: 400 },
  INVALID_STATE: { status: 409, mlflow: 'INVALID_STATE', mlflowStatus: 400 },
  PAYLOAD_TOO_LARGE: { status: 413, mlflow: 'INVALID_PARAMETER_VALUE', mlflowStatus: 400 },
  UNAUTHENTICATED: { status: 401, mlflow: 'UNAUTHENTICATED', mlflowStatus: 401 },
  PERMISSION_DENIED: { status: 403, mlflow: 'PERMISSION_DENIED', mlflowStatus: 403 },
  DEADLINE_EXCEEDED: { status: 504, mlflow: 'INTERNAL_ERROR', mlflowStatus: 500 },
  UNAVAILABLE: { status: 503, mlflow: 'TEMPORARILY_UNAVAILABLE', mlflowStatus: 503 },
  INTERNAL: { status: 500, mlflow: 'INTERNAL_ERROR', mlflowStatus: 500 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class GyreError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'GyreError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export const invalidArgument = (message: string, details?: Record<string, unknown>): GyreError =>
  new GyreError('INVALID_ARGUMENT', message, details);
export const notFound = (message: string, details?: Record<string, unknown>): GyreError =>
  new GyreError('NOT_FOUND', message, details);
export const alreadyExists = (message: string, details?: Record<string, unknown>): GyreError =>
  new GyreError('ALREADY_EXISTS', message, details);

export function isGyreError(value: unknown): value is GyreError {
  return value instanceof GyreError;
}

/** Wraps anything thrown into a GyreError so the edges have one shape to translate. */
export function toGyreError(value: unknown): GyreError {
  if (value instanceof GyreError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new GyreError('INTERNAL', message);
}
