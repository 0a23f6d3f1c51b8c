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

/** Awaits `promise`, asserting it rejects with INVALID_ARGUMENT whose message matches `message`. */
export async function expectInvalidArgument(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) });
}
