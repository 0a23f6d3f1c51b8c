/**
 * Pipelines over the open services: run (in process, or on BullMQ workers when a dispatcher is
 * given), list, show, logs, cancel. Used by the CLI, the scheduler, triggers and `gyre worker`.
 */
import os from 'node:os';
import { streamToBuffer } from '../models/stream-to-buffer.js';
import { GyreError, invalidArgument, isGyreError } from '../core/errors.js';
import type { Services } from '../services.js';
import type { PipelineDefinition, PipelineRun, StepState } from './entities.js';
import type { Pipeline, StepFunction } from './define-pipeline.js';
import type { PipelineStore } from './pipeline-store.js';
import { runPipeline } from './pipeline-runner.js';
import type { PipelineRunResult, RunOptions, StepDispatcher } from './pipeline-runner.js';
import type { PipelineEnv } from './step-execution.js';
import { STEP_LOG_ARTIFACT } from './step-execution.js';
import { InProcessDispatcher } from './in-process-dispatcher.js';
import { StepJournal } from './step-journal.js';
import { loadModulePipeline } from './module-pipelines.js';

export class PipelineService {
  /** Function steps of TypeScript pipelines run or registered in this process, by pipeline name. */
  private readonly local = new Map<string, Pipeline>();
  readonly env: PipelineEnv;

  constructor(
    readonly services: Services,
    readonly store: PipelineStore,
    worker = `${os.hostname()}:${process.pid}`,
  ) {
    this.env = { services, store, journal: new StepJournal(store), worker, functionsFor: (run) => this.functionsFor(run) };
  }

  /** Makes a TypeScript pipeline's functions available to steps executed by this process. */
  register(pipeline: Pipeline): void {
    this.local.set(pipeline.definition.name, pipeline);
  }

  /**
   * Runs a pipeline to its end and returns each step's status.
   * @example const result = await pipelines.run(definePipeline({...}), { force: false })
   */
  async run(pipeline: Pipeline | PipelineDefinition, opts: RunOptions & { dispatcher?: StepDispatcher } = {}): Promise<PipelineRunResult> {
    const definition = 'definition' in pipeline ? pipeline.definition : pipeline;
    if ('definition' in pipeline) this.register(pipeline);
    const dispatcher = opts.dispatcher ?? new InProcessDispatcher(this.env);
    return runPipeline(this.env, dispatcher, definition, opts);
  }

  list(filter: { pipeline?: string; limit?: number } = {}): Promise<PipelineRun[]> {
    return this.store.listRuns({ ...(filter.pipeline ? { pipeline: filter.pipeline } : {}), limit: filter.limit ?? 50 });
  }

  async show(runId: string): Promise<{ run: PipelineRun; steps: StepState[] }> {
    const run = await this.store.getRun(runId);
    return { run, steps: await this.store.getSteps(runId) };
  }

  /** Asks a running run to stop: steps not started are cancelled, running ones are signalled. */
  async cancel(runId: string): Promise<void> {
    await this.store.requestCancel(runId);
  }

  /** A step's log (of the run that produced it, for cached steps). */
  async logs(runId: string, step: string): Promise<string> {
    const state = await this.store.getStep(runId, step);
    const trackingRunId = state.trackingRunId ?? state.cachedFromRunId;
    if (!trackingRunId) throw new GyreError('INVALID_STATE', `Step '${step}' of run '${runId}' has not run (${state.status}${state.error ? `: ${state.error}` : ''}); it has no log.`, { runId, step, status: state.status });
    try {
      const stream = await this.services.runArtifacts.download(trackingRunId, STEP_LOG_ARTIFACT);
      return (await streamToBuffer(stream)).toString('utf8');
    } catch (err) {
      // Steps that print nothing store no log.
      if (isGyreError(err) && err.code === 'NOT_FOUND') return '';
      throw err;
    }
  }

  private async functionsFor(run: PipelineRun): Promise<ReadonlyMap<string, StepFunction>> {
    const local = this.local.get(run.pipeline);
    if (local && local.definition.digest === run.definition.digest) return local.functions;
    if (!run.definition.module) {
      throw invalidArgument(`Pipeline '${run.pipeline}' has function steps but no module to load them from. Define it with module: import.meta.url.`, { pipeline: run.pipeline });
    }
    const loaded = await loadModulePipeline(run.definition.module, run.pipeline);
    if (loaded.definition.digest !== run.definition.digest) {
      throw new GyreError('CONFLICT', `Pipeline '${run.pipeline}' in ${run.definition.module} has changed since run '${run.runId}' started; deploy the same code to every worker.`, { pipeline: run.pipeline });
    }
    this.local.set(run.pipeline, loaded);
    return loaded.functions;
  }
}
