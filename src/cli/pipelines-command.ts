/** `gyre pipelines ...`: run a pipeline file (YAML, dvc.yaml, or a compiled TypeScript module), list, show, logs, cancel. */
import type { Command } from 'commander';
import path from 'node:path';
import { openServices } from '../services.js';
import { resolveConfig } from '../core/config.js';
import { invalidArgument } from '../core/errors.js';
import { globalOptions, printJson } from './context.js';
import { table, time } from './format.js';
import { PipelineService } from '../pipelines/pipeline-service.js';
import { loadPipelineFile } from '../pipelines/pipeline-files.js';
import { renderStatusGraph, STATUS_MARK } from '../pipelines/status-graph.js';
import type { PipelineRunResult } from '../pipelines/pipeline-runner.js';
import type { StepState } from '../pipelines/entities.js';
import { distributedDispatcherFromEnv } from '../pipelines/distributed/dispatcher-from-env.js';
import { registerPipelineScheduleCommands } from './pipelines-schedule-command.js';

/** Pipelines run against the local stores (GYRE_HOME / GYRE_DATABASE_URL), like `gyre deploy`. */
export async function withPipelines<T>(cmd: Command, fn: (p: PipelineService) => Promise<T>): Promise<T> {
  const opts = globalOptions(cmd);
  if (opts.url || process.env.GYRE_URL) throw invalidArgument('gyre pipelines works on the stores directly (GYRE_HOME / GYRE_DATABASE_URL); unset GYRE_URL / --url.', {});
  const services = await openServices(resolveConfig({ ...(opts.home ? { home: opts.home } : {}), remoteUrl: null }));
  try {
    return await fn(new PipelineService(services, services.pipelineStore));
  } finally {
    await services.close();
  }
}

const summary = (r: PipelineRunResult) => ({
  runId: r.runId,
  pipeline: r.pipeline,
  status: r.status,
  trackingRunId: r.trackingRunId,
  error: r.error,
  steps: r.steps.map((s) => ({ step: s.step, status: s.status, error: s.error, trackingRunId: s.trackingRunId, cachedFromRunId: s.cachedFromRunId })),
});

const duration = (s: StepState) => (s.startedAt && s.endedAt ? `${((s.endedAt - s.startedAt) / 1000).toFixed(1)}s` : '');

export function registerPipelinesCommand(program: Command): void {
  const pipelines = program.command('pipelines').description('pipelines: cached DAGs of steps (YAML, dvc.yaml or TypeScript), run in process or on gyre workers');
  pipelines
    .command('run <file>')
    .description('run a pipeline file: pipeline.yaml, dvc.yaml, or a .js module exporting definePipeline(...)')
    .option('--name <pipeline>', 'which pipeline of a module that exports several')
    .option('--force', 'rerun every step even when its cache key matches')
    .option('--local', 'run steps in this process even when GYRE_REDIS_URL is set')
    .option('--concurrency <n>', 'steps executing at once', (v) => Number(v), 4)
    .option('--json', 'print the run id and each step’s status as JSON')
    .addHelpText(
      'after',
      '\nWith GYRE_REDIS_URL set, steps go to gyre worker processes (GYRE_QUEUE_PREFIX names the queue). Items of a\nmapped (fan-out) step that take under 1 ms share BullMQ jobs of up to 16; GYRE_MAX_ITEMS_PER_JOB=1 sends\nevery item as a job of its own.',
    )
    .action(async (file: string, o: { name?: string; force?: boolean; local?: boolean; concurrency: number; json?: boolean }, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        const pipeline = await loadPipelineFile(path.resolve(file), o.name);
        const dispatcher = o.local ? undefined : await distributedDispatcherFromEnv();
        try {
          const result = await p.run(pipeline, {
            force: o.force === true,
            concurrency: o.concurrency,
            ...(dispatcher ? { dispatcher } : {}),
            ...(o.json ? {} : { onStart: (run) => console.log(`pipeline ${run.pipeline}: run ${run.runId}${dispatcher ? ' — steps go to gyre worker processes via GYRE_REDIS_URL (start one with \'gyre worker\' if none runs; --local runs here)' : ''}`), onStep: (s) => console.log(`  ${STATUS_MARK[s.status]} ${s.step} ${s.status}${s.error ? `: ${s.error}` : ''}`) }),
          });
          if (o.json) printJson(summary(result));
          else {
            console.log(renderStatusGraph(pipeline.definition, result.steps));
            console.log(`${result.status}${result.error ? `: ${result.error}` : ''}`);
          }
          if (result.status !== 'succeeded') process.exitCode = 1;
        } finally {
          await dispatcher?.close();
        }
      }),
    );
  pipelines
    .command('list')
    .option('--pipeline <name>')
    .option('--limit <n>', 'newest runs shown', (v) => Number(v), 20)
    .option('--json')
    .action(async (o: { pipeline?: string; limit: number; json?: boolean }, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        const runs = await p.list({ ...(o.pipeline ? { pipeline: o.pipeline } : {}), limit: o.limit });
        if (o.json) return printJson(runs.map(({ definition: _d, ...r }) => r));
        console.log(table(['RUN', 'PIPELINE', 'STATUS', 'TRIGGER', 'STARTED', 'ENDED'], runs.map((r) => [r.runId, r.pipeline, r.status, r.trigger, time(r.createdAt), time(r.endedAt)])));
      }),
    );
  pipelines
    .command('show <runId>')
    .option('--json')
    .action(async (runId: string, o: { json?: boolean }, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        const { run, steps } = await p.show(runId);
        if (o.json) return printJson({ ...run, steps });
        console.log(`pipeline ${run.pipeline}  run ${run.runId}  ${run.status}${run.error ? `: ${run.error}` : ''}  (tracking run ${run.trackingRunId})`);
        console.log(renderStatusGraph(run.definition, steps));
        console.log(table(['STEP', 'STATUS', 'ATTEMPT', 'WORKER', 'TIME', 'ERROR'], steps.map((s) => [s.step, s.status, s.attempt || '', s.worker, duration(s), s.error])));
      }),
    );
  pipelines
    .command('logs <runId> [step]')
    .description("a step's log (every step's when no step is named)")
    .action(async (runId: string, step: string | undefined, _o: unknown, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        if (step) return void process.stdout.write(await p.logs(runId, step));
        for (const s of (await p.show(runId)).steps) {
          if (!s.trackingRunId && !s.cachedFromRunId) continue;
          process.stdout.write(`==> ${s.step} (${s.status}) <==\n${await p.logs(runId, s.step)}`);
        }
      }),
    );
  pipelines
    .command('cancel <runId>')
    .description('stop a running pipeline: steps not started are cancelled, running ones are signalled')
    .action(async (runId: string, _o: unknown, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        await p.cancel(runId);
        console.log(`cancellation of ${runId} requested`);
      }),
    );
  registerPipelineScheduleCommands(pipelines);
}

/** `gyre worker`: executes pipeline steps from the BullMQ queues on GYRE_REDIS_URL until stopped. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('execute pipeline steps from Redis (GYRE_REDIS_URL); run one per machine or core, all on the same database and artifact store')
    .option('--concurrency <n>', 'steps this process runs at once', (v) => Number(v), 1)
    .option('--queue-prefix <prefix>', 'BullMQ key prefix (env GYRE_QUEUE_PREFIX)', process.env.GYRE_QUEUE_PREFIX ?? 'gyre')
    .option('--lock-ms <ms>', 'a dead worker’s step is handed on after about this long (env GYRE_WORKER_LOCK_MS)', (v) => Number(v), Number(process.env.GYRE_WORKER_LOCK_MS ?? 30_000))
    .option('--module <file...>', 'preload these pipeline modules (function steps are otherwise imported from the module the run names)')
    .action(async (o: { concurrency: number; queuePrefix: string; lockMs: number; module?: string[] }, cmd: Command) => {
      const redisUrl = process.env.GYRE_REDIS_URL;
      if (!redisUrl) throw invalidArgument('gyre worker needs GYRE_REDIS_URL (e.g. redis://127.0.0.1:6379), the queue it takes steps from.', {});
      if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw invalidArgument('--concurrency must be a positive integer.', { field: 'concurrency' });
      const opts = globalOptions(cmd);
      const services = await openServices(resolveConfig({ ...(opts.home ? { home: opts.home } : {}), remoteUrl: null }));
      const p = new PipelineService(services, services.pipelineStore);
      const { loadModulePipeline } = await import('../pipelines/module-pipelines.js');
      for (const m of o.module ?? []) p.register(await loadModulePipeline(path.resolve(m)));
      const { startStepWorker } = await import('../pipelines/distributed/step-worker.js');
      const worker = await startStepWorker(p, { redisUrl, prefix: o.queuePrefix, concurrency: o.concurrency, lockMs: o.lockMs });
      console.log(`gyre worker ${p.env.worker}: taking steps from ${o.queuePrefix}:pipeline-steps (concurrency ${o.concurrency})`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      // A graceful stop lets running steps finish; anything else is recovered by the stalled check.
      await worker.close();
      await services.close();
    });
}
