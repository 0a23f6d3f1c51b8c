import { randomUUID } from 'node:crypto';

/** MLflow's run id shape: 32 lowercase hex characters. */
export function newRunId(): string {
  return randomUUID().replace(/-/g, '');
}

export function newUuid(): string {
  return randomUUID();
}
