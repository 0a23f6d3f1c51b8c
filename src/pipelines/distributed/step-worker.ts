/**
 * Distributed executor, worker side (`gyre worker`): takes step jobs from BullMQ and executes them
 * with the same code as the in-process executor. Metadata goes to the shared database, outputs
 * and logs to the shared artifact store. Cancellation is read from the database while a step runs.
 */
import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { PipelineRun } from '../entities.js';
import type { PipelineService } from '../pipeline-service.js';
import { executeStep } from '../step-execution.js';
import { redisOptions, STEP_QUEUE } from './redis-connection.js';
import type { StepJobData } from './bullmq-dispatcher.js';

export interface StepWorkerOptions {
  redisUrl: string;
  prefix: string;
  /** Steps this process runs at once. */
  concurrency: number;
  /** How long a step's lock lives without renewal: a killed worker's step moves on after about this long. */
  lockMs: number;
}

const CANCEL_POLL_MS = 500;

export async function startStepWorker(pipelines: PipelineService, opts: StepWorkerOptions): Promise<Worker<StepJobData>> {
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
  const worker = new Worker<StepJobData>(
    STEP_QUEUE,
    async (job: Job<StepJobData>) => {
      const run = await runOf(job.data.runId);
      const cancel = new AbortController();
      const poll = setInterval(() => {
        pipelines.store.getRun(run.runId).then((r) => r.cancelRequested && cancel.abort(), () => {});
      }, CANCEL_POLL_MS);
      try {
        const state = await executeStep(pipelines.env, run, job.data, cancel.signal);
        return { status: state.status };
      } finally {
        clearInterval(poll);
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
  await worker.waitUntilReady();
  return worker;
}
