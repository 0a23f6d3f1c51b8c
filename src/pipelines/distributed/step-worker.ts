/**
 * Distributed executor, worker side (`gyre worker`): takes step jobs from BullMQ and executes them
 * with the same code as the in-process executor. Metadata goes to the shared database, outputs
 * and logs to the shared artifact store; the job's result is how the step ended, which the
 * coordinator records. A job BullMQ hands out a second time (its first worker died or lost its
 * lock) runs as a new attempt.
 */
import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { PipelineRun } from '../entities.js';
import type { PipelineService } from '../pipeline-service.js';
import { executeStep } from '../step-execution.js';
import type { StepOutcome } from '../step-execution.js';
import { redisOptions, STEP_QUEUE } from './redis-connection.js';
import type { StepJobData } from './bullmq-dispatcher.js';
import { CancelWatch } from './cancel-watch.js';

export interface StepWorkerOptions {
  redisUrl: string;
  prefix: string;
  /** Steps this process runs at once. */
  concurrency: number;
  /** How long a step's lock lives without renewal: a killed worker's step moves on after about this long. */
  lockMs: number;
}

export async function startStepWorker(pipelines: PipelineService, opts: StepWorkerOptions): Promise<Worker<StepJobData, StepOutcome>> {
  // Definitions are immutable per run; keeping recent ones saves parsing them per step.
  const runs = new Map<string, PipelineRun>();
  const runOf = async (runId: string) => {
    let run = runs.get(runId);
    if (!run) {
      run = await pipelines.store.getRun(runId);
      if (runs.size > 100) runs.delete(runs.keys().next().value!);
      runs.set(runId, run);
    }
    return run;
  };
  const cancels = new CancelWatch(pipelines.store);
  const worker = new Worker<StepJobData, StepOutcome>(
    STEP_QUEUE,
    async (job: Job<StepJobData>) => {
      const run = await runOf(job.data.runId);
      const cancel = cancels.watch(run.runId);
      try {
        return await executeStep(pipelines.env, run, job.data, cancel.signal, job.attemptsStarted > 1);
      } finally {
        cancel.release();
      }
    },
    {
      connection: redisOptions(opts.redisUrl),
      prefix: opts.prefix,
      concurrency: opts.concurrency,
      lockDuration: opts.lockMs,
      stalledInterval: Math.max(500, Math.floor(opts.lockMs / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on('closed', () => cancels.close());
  await worker.waitUntilReady();
  return worker;
}
