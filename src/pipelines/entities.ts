/**
 * What a pipeline is once defined (TypeScript or YAML), and what a run of it records. A defined
 * pipeline is plain data except for function steps' code, so a run can be stored, shown, resumed
 * and executed by workers on other machines.
 */

/**
 * Where a step's result came from, as the run reports it (`gyre pipelines run --json`). `queued`:
 * handed to an executor, not started yet (its tracking run is SCHEDULED); steps that end within a
 * moment go from queued straight to their result.
 */
export type StepStatus = 'pending' | 'queued' | 'running' | 'succeeded' | 'cached' | 'failed' | 'skipped' | 'cancelled';
export type PipelineRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export const TERMINAL_STEP_STATUSES: ReadonlySet<StepStatus> = new Set(['succeeded', 'cached', 'failed', 'skipped', 'cancelled']);

/** A reference to an output of an upstream step: `step.output`. */
export interface OutputRef {
  step: string;
  output: string;
}

export interface RetryPolicy {
  /** Attempts in total (1 = no retry). */
  attempts: number;
  /** Wait before the 2nd attempt; doubles each time (exponential backoff). */
  backoffMs: number;
}

/** How a step runs. Function steps live in a module (built-in kinds are function steps too); shell steps are data. */
export type StepKind =
  | { type: 'function' }
  | { type: 'shell'; cmd: string; cwd: string; deps: string[]; outs: string[]; gate: boolean };

export interface StepDefinition {
  name: string;
  kind: StepKind;
  /** Steps that must end before this one (from inputs, deps→outs, `after`, and the gate). */
  needs: string[];
  /** Named inputs wired to upstream outputs; a reference to a mapped step yields the list of its items' outputs. */
  inputs: Record<string, OutputRef[]>;
  /** Inputs that refer to a whole mapped step (fan-in): the step function receives an array. */
  fanIn: string[];
  outputs: string[];
  params: Record<string, unknown>;
  /** Digest of what the step runs (function source, or the command): part of the cache key. */
  codeDigest: string;
  retry: RetryPolicy;
  timeoutMs: number | null;
  /** Never served from the cache (its result depends on something outside its inputs, e.g. a data file). */
  alwaysRun: boolean;
  /** Run only when this upstream output is truthy (for shell gates: the gate command exited 0). */
  when: OutputRef | null;
  /** The step this one was expanded from by `map`/`foreach`, and its item. */
  mappedFrom: string | null;
  item: unknown;
}

export interface PipelineDefinition {
  name: string;
  /** Steps in a topological order. */
  steps: StepDefinition[];
  /** Where workers load function steps from (`import.meta.url` of the defining module). */
  module: string | null;
  /** Folder that shell steps' paths are relative to (the YAML file's folder). */
  root: string | null;
  /** Digest of the whole definition, shown on runs so a changed pipeline is visible. */
  digest: string;
}

/** One stored output: JSON values of function steps, files and folders of shell steps. */
export interface OutputArtifact {
  name: string;
  kind: 'value' | 'file' | 'dir';
  /** `sha256:<hex>` of the bytes (for folders: of their manifest). */
  digest: string;
  size: number;
  /** Path in the artifact store (content-addressed); empty for values kept inline. */
  storePath: string;
  /** Small JSON values live in the database with their step (no artifact write per step); see step-outputs.ts. */
  inline?: string;
}

export interface StepState {
  runId: string;
  step: string;
  status: StepStatus;
  attempt: number;
  cacheKey: string | null;
  trackingRunId: string | null;
  /** For cached steps: the tracking run that produced the reused outputs. */
  cachedFromRunId: string | null;
  outputs: OutputArtifact[];
  /** Lineage: the digests each input had when this step ran. */
  inputDigests: Record<string, string[]>;
  error: string | null;
  worker: string | null;
  startedAt: number | null;
  endedAt: number | null;
}

export interface PipelineRun {
  runId: string;
  pipeline: string;
  status: PipelineRunStatus;
  trackingRunId: string;
  definition: PipelineDefinition;
  trigger: string;
  force: boolean;
  cancelRequested: boolean;
  error: string | null;
  createdAt: number;
  endedAt: number | null;
}

/** A cache index entry: a step's outputs for one cache key. */
export interface CacheEntry {
  pipeline: string;
  step: string;
  cacheKey: string;
  outputs: OutputArtifact[];
  trackingRunId: string;
  createdAt: number;
}
