/** The pipelines API a user imports: `import { definePipeline, step, PipelineService } from 'gyre'`. */
export { definePipeline, step } from './define-pipeline.js';
export type { Pipeline, PipelineSpec, FunctionStepSpec, StepContext } from './define-pipeline.js';
export type { ParamSchema, ParamSpec } from './param-schema.js';
export { loadYamlPipeline } from './yaml-pipeline.js';
export { PipelineService } from './pipeline-service.js';
export type { PipelineRunResult, RunOptions } from './pipeline-runner.js';
export type { PipelineDefinition, PipelineRun, StepState, StepStatus } from './entities.js';
export { dataAddStep, validateStep, trainStep, promoteStep, deployStep } from './builtin-steps.js';
export { evaluateStep, gateStep, registerStep } from './model-steps.js';
export type { DatasetVersionOutput } from './builtin-steps.js';
