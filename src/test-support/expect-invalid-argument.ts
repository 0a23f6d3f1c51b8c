import { expect } from 'vitest';
import { isGyreError } from '../core/errors.js';

/** Runs `fn`, asserting it throws INVALID_ARGUMENT; returns the message and details for content checks. */
export function rejection(fn: () => unknown): { message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    if (!isGyreError(err)) throw err;
    expect(err.code).toBe('INVALID_ARGUMENT');
    return { message: err.message, details: err.details };
  }
  throw new Error('expected an INVALID_ARGUMENT error');
}
