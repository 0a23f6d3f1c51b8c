/** The embedded default: executed steps run in the coordinating process. */
import type { PipelineRun } from './entities.js';
import type { StepDispatcher } from './pipeline-runner.js';
import { executeStep } from './step-execution.js';
import type { PipelineEnv, StepOutcome, StepRequest } from './step-execution.js';

export class InProcessDispatcher implements StepDispatcher {
  constructor(private readonly env: PipelineEnv) {}

  dispatch(run: PipelineRun, req: StepRequest, cancel: AbortSignal): Promise<StepOutcome> {
    return executeStep(this.env, run, req, cancel);
  }

  async close(): Promise<void> {}
}
