/**
 * Runs a pipeline file (Gyre YAML or dvc.yaml) in this process to its end: what continuous training
 * calls when a retraining policy trains with the user's own pipeline.
 */
import os from 'node:os';
import type { Services } from '../services.js';
import type { PipelineRunnerFn } from '../continuous-training/pipeline-challenger.js';
import { PipelineService } from './pipeline-service.js';
import { loadYamlPipeline } from './yaml-pipeline.js';

export function pipelineFileRunner(services: Services): PipelineRunnerFn {
  const pipelines = new PipelineService(services, services.pipelineStore, `${os.hostname()}:${process.pid}`);
  return async (file, trigger) => {
    const r = await pipelines.run(loadYamlPipeline(file), { trigger });
    return { runId: r.runId, trackingRunId: r.trackingRunId, status: r.status, error: r.error };
  };
}
