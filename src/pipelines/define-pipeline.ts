/**
 * Pipelines in TypeScript: steps are functions with declared inputs (upstream outputs), outputs and
 * params. `definePipeline` checks the whole graph at once and refuses a bad one naming the step.
 *
 * @example
 * export const pipeline = definePipeline({
 *   name: 'bikes',
 *   module: import.meta.url,                 // lets `gyre worker` processes load the steps
 *   steps: [
 *     step({ name: 'load', outputs: ['rows'], params: { n: { type: 'number', default: 100 } }, run: ({ params }) => ({ rows: params.n }) }),
 *     step({ name: 'train', inputs: { rows: 'load.rows' }, outputs: ['rmse'], run: ({ inputs }) => ({ rmse: 40 }) }),
 *   ],
 * });
 */
import { invalidArgument } from '../core/errors.js';
import type { Services } from '../services.js';
import type { PipelineDefinition, RetryPolicy } from './entities.js';
import { buildDefinition } from './pipeline-graph.js';
import type { DraftStep } from './pipeline-graph.js';
import { resolveParams } from './param-schema.js';
import type { ParamSchema, ParamValues } from './param-schema.js';
import { canonicalJson } from './digests.js';

export interface StepContext<P = Record<string, unknown>, I = Record<string, unknown>> {
  params: P;
  /** Upstream outputs by input name; an input wired to a mapped step is the array of its items' outputs. */
  inputs: I;
  /** The item of a mapped (fanned-out) step; null otherwise. */
  item: unknown;
  /** Appends a line to the step's log (kept as the artifact `logs/step.log` of its tracking run). */
  log(...parts: unknown[]): void;
  /** Aborted on timeout or cancellation; long steps should pass it on or check it. */
  signal: AbortSignal;
  /** 1 for the first try. */
  attempt: number;
  pipelineRunId: string;
  /** The step's nested tracking run: log metrics and artifacts to it. */
  trackingRunId: string;
  services: Services;
}

export type StepFunction = (ctx: StepContext<any, any>) => unknown;

export interface FunctionStepSpec<S extends ParamSchema = ParamSchema, I extends string = string, O extends string = string> {
  name: string;
  /** Input name → `step.output`. */
  inputs?: Record<I, string>;
  outputs?: readonly O[];
  params?: S;
  /** Param values for this pipeline (checked against `params`); the rest take their defaults. */
  with?: Partial<ParamValues<S>>;
  /** Steps that must end first although no output flows from them. */
  after?: string[];
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** Never reuse a cached result: for steps that read something outside their inputs (files, services). */
  alwaysRun?: boolean;
  /** `step.output` that must be truthy (a gate) for this step to run; otherwise it is skipped. */
  when?: string;
  /** Fan-out: run one copy per item (`ctx.item`); a step reading this one's output gets an array (fan-in). */
  map?: readonly unknown[];
  /**
   * Bump when the function's behaviour changes through something its source text does not show
   * (a helper it calls): the source and this version make the step's code digest.
   */
  version?: string;
  run(ctx: StepContext<ParamValues<S>, Record<I, any>>): Promise<Partial<Record<O, unknown>> | void> | Partial<Record<O, unknown>> | void;
}

/** Declares one step; an identity function so TypeScript infers params, inputs and outputs. */
export function step<const S extends ParamSchema = {}, I extends string = never, O extends string = never>(spec: FunctionStepSpec<S, I, O>): FunctionStepSpec<S, I, O> {
  return spec;
}

export interface Pipeline {
  definition: PipelineDefinition;
  /** Step function by step name (fanned-out copies share their step's function). */
  functions: ReadonlyMap<string, StepFunction>;
}

export interface PipelineSpec {
  name: string;
  steps: FunctionStepSpec<any, any, any>[];
  /** `import.meta.url` of the module exporting this pipeline: needed to run it on `gyre worker` processes. */
  module?: string;
}

export function definePipeline(spec: PipelineSpec): Pipeline {
  const drafts: DraftStep[] = spec.steps.map((s) => {
    if (typeof s.run !== 'function') throw invalidArgument(`Step '${s.name}' has no run function.`, { step: s.name });
    const params = resolveParams(s.name, s.params ?? {}, (s.with ?? {}) as Record<string, unknown>);
    return {
      name: s.name,
      kind: { type: 'function' },
      inputs: { ...(s.inputs ?? {}) } as Record<string, string>,
      outputs: [...(s.outputs ?? [])],
      params,
      code: canonicalJson({ source: s.run.toString(), version: s.version ?? null, schema: s.params ?? {} }),
      after: s.after ?? [],
      retry: s.retry,
      timeoutMs: s.timeoutMs ?? null,
      alwaysRun: s.alwaysRun === true,
      when: s.when ?? null,
      map: s.map ?? null,
    };
  });
  const definition = buildDefinition(spec.name, drafts, spec.module ?? null, null);
  const byDraft = new Map(spec.steps.map((s) => [s.name, s.run as StepFunction]));
  const functions = new Map(definition.steps.map((s) => [s.name, byDraft.get(s.mappedFrom ?? s.name)!]));
  return { definition, functions };
}
