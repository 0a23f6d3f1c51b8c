/** Persistence of pipeline runs, step states and the step cache index. One interface, every SQL backend. */
import type { CacheEntry, PipelineRun, PipelineRunStatus, StepState, StepStatus } from './entities.js';

export type StepPatch = Partial<Omit<StepState, 'runId' | 'step'>>;

export interface PipelineStore {
  /** The run and all its steps (pending) in one transaction. ALREADY_EXISTS when the id is taken. */
  createRun(run: PipelineRun, steps: StepState[]): Promise<void>;
  /** NOT_FOUND when absent. */
  getRun(runId: string): Promise<PipelineRun>;
  /** Newest first. */
  listRuns(filter: { pipeline?: string; limit: number }): Promise<PipelineRun[]>;
  /** Ends a running run; false (and nothing changes) when it has already ended. */
  finishRun(runId: string, status: Exclude<PipelineRunStatus, 'running'>, error: string | null, endedAt: number): Promise<boolean>;
  /** Flags a running run for cancellation; INVALID_STATE when it has ended, NOT_FOUND when absent. */
  requestCancel(runId: string): Promise<void>;
  /** In the pipeline's step order. */
  getSteps(runId: string): Promise<StepState[]>;
  getStep(runId: string, step: string): Promise<StepState>;
  /**
   * Applies `patch` if the step's status is one of `onlyFrom` (compare-and-set, so two workers
   * delivered the same step cannot both claim or both finish it). True when it applied.
   */
  updateStep(runId: string, step: string, patch: StepPatch, onlyFrom?: readonly StepStatus[]): Promise<boolean>;
  /**
   * Ends a running step and, for a success, indexes its outputs in the cache — one transaction, so
   * a step is never succeeded without its cache entry (and a step costs one commit fewer).
   */
  finishStep(runId: string, step: string, patch: StepPatch, cache: CacheEntry | null): Promise<boolean>;
  lookupCache(pipeline: string, step: string, cacheKey: string): Promise<CacheEntry | null>;
  /** Idempotent: the first entry for a key wins (equal keys mean equal outputs). */
  putCache(entry: CacheEntry): Promise<void>;
}
