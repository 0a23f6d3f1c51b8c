/** The distributed dispatcher when GYRE_REDIS_URL is set; null (in-process) otherwise. */
import type { StepDispatcher } from '../pipeline-runner.js';
import type { PipelineEnv } from '../step-execution.js';

export async function distributedDispatcherFromEnv(_env: PipelineEnv, env: NodeJS.ProcessEnv = process.env): Promise<StepDispatcher | null> {
  if (!env.GYRE_REDIS_URL) return null;
  const { BullmqDispatcher } = await import('./bullmq-dispatcher.js');
  return BullmqDispatcher.connect(_env, env.GYRE_REDIS_URL, env.GYRE_QUEUE_PREFIX ?? 'gyre');
}
