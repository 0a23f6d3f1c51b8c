/**
 * Distributed executor, worker side (`gyre worker`): takes step jobs from BullMQ and executes them
 * with the same code as the in-process executor. Metadata goes to the shared database, outputs
 * and logs to the shared artifact store; the job's result is how the step ended, which the
 * coordinator records. A job that carries several items of a fan-out runs them one after another
 * and answers for each. A job BullMQ hands out a second time (its first worker died or lost its
 * lock) runs as a new attempt of each step it carries, started or not.
 */
import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { PipelineRun } from '../entities.js';
import type { PipelineService } from '../pipeline-service.js';
import { executeStep } from '../step-execution.js';
import type { StepOutcome, StepRequest } from '../step-execution.js';
import { redisOptions, STEP_QUEUE } from './redis-connection.js';
import type { ItemResult, StepJobData, StepJobResult } from './bullmq-dispatcher.js';
import { toGyreError } from '../../core/errors.js';
import { PromiseMemo } from '../../core/promise-memo.js';
import { CancelWatch } from './cancel-watch.js';

export interface StepWorkerOptions {
  redisUrl: string;
  prefix: string;
  /** Steps this process runs at once. */
  concurrency: number;
  /** How long a step's lock lives without renewal: a killed worker's step moves on after about this long. */
  lockMs: number;
}

export async function startStepWorker(pipelines: PipelineService, opts: StepWorkerOptions): Promise<Worker<StepJobData, StepJobResult>> {
  // Definitions are immutable per run; keeping recent ones saves reading them per step. The read is
  // shared: the first jobs of a run arrive together, and a fan-out's definition is large (a 1,000-item
  // map is ~300 KB of JSON), so each reading it again cost more than the steps themselves.
  const runs = new PromiseMemo<PipelineRun>(100);
  const runOf = (runId: string) => runs.get(runId, () => pipelines.store.getRun(runId));
  const cancels = new CancelWatch(pipelines.store);
  const runStep = async (req: StepRequest, redelivered: boolean): Promise<StepOutcome> => {
    const run = await runOf(req.runId);
    const cancel = cancels.watch(run.runId);
    try {
      return await executeStep(pipelines.env, run, req, cancel.signal, redelivered);
    } finally {
      cancel.release();
    }
  };
  const worker = new Worker<StepJobData, StepJobResult>(
    STEP_QUEUE,
    async (job: Job<StepJobData>) => {
      const redelivered = job.attemptsStarted > 1;
      if (!('batch' in job.data)) return runStep(job.data, redelivered || job.data.redelivered === true);
      // One item that cannot be executed must not cost its siblings a rerun: it is answered
      // `unrun`, and the coordinator sends it again on its own.
      const batch: ItemResult[] = [];
      for (const req of job.data.batch) batch.push(await runStep(req, redelivered).catch((err: unknown) => ({ kind: 'unrun' as const, runId: req.runId, step: req.step, error: toGyreError(err).message })));
      return { batch };
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
