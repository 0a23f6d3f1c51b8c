/** Retry schedule of a failed delivery: exponential with full jitter, capped. */
export interface BackoffPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// 8 attempts over roughly 4 minutes (1, 2, 4, ... 64 s, jittered): long enough to ride out a
// receiver's restart, short enough that a dead endpoint is reported FAILED the same hour.
export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/** Delay before attempt number `attemptsMade + 1`; jitter keeps many failing deliveries from retrying in lockstep. */
export function retryDelayMs(policy: BackoffPolicy, attemptsMade: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
