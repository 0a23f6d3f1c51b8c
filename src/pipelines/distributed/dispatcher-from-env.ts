/** The distributed dispatcher when GYRE_REDIS_URL is set; null (in-process) otherwise. */
import type { StepDispatcher } from '../pipeline-runner.js';

export async function distributedDispatcherFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<StepDispatcher | null> {
  if (!env.GYRE_REDIS_URL) return null;
  const { BullmqDispatcher } = await import('./bullmq-dispatcher.js');
  // GYRE_MAX_ITEMS_PER_JOB=1: every fan-out item is a job of its own (item-batching.ts).
  const maxItemsPerJob = env.GYRE_MAX_ITEMS_PER_JOB ? Number(env.GYRE_MAX_ITEMS_PER_JOB) : undefined;
  return BullmqDispatcher.connect(env.GYRE_REDIS_URL, env.GYRE_QUEUE_PREFIX ?? 'gyre', { sharing: { maxItemsPerJob } });
}
