/**
 * Persistence of pipeline runs, step states and the step cache index. One interface, every SQL
 * backend. An executed step's state and its nested tracking run are written together (queue,
 * start, finish), one transaction per batch of steps, so a step is never recorded without its run
 * and many steps in flight cost a few commits, not a few per step.
 */
import type { Param, Tag } from '../tracking/entities.js';
import type { CacheEntry, OutputArtifact, PipelineRun, PipelineRunStatus, StepState, StepStatus } from './entities.js';

export type StepPatch = Partial<Omit<StepState, 'runId' | 'step'>>;

/** The nested tracking run of one attempt of a step. */
export interface StepTrackingRun {
  runId: string;
  experimentId: string;
  /** The experiment's artifact location: the run's artifact URI is derived from it. */
  artifactLocation: string;
  runName: string;
  startTime: number;
  tags: Tag[];
}

/** Hands a step to an executor: its next attempt, queued, with a new tracking run (SCHEDULED). */
export interface StepToQueue {
  runId: string;
  step: string;
  /** The attempt the step must be at (compare-and-set): 0 for its first; the dead attempt's on a redelivery. */
  fromAttempt: number;
  cacheKey: string;
  inputDigests: Record<string, string[]>;
  trackingRun: StepTrackingRun;
  /** The tracking run of a dead attempt this one replaces: tagged superseded and ended KILLED if still open. */
  supersedes: string | null;
}

/** An executor has started a queued attempt (recorded only for steps that outlive a moment). */
export interface StepStarted {
  runId: string;
  step: string;
  attempt: number;
  worker: string;
  startedAt: number;
}

/** An attempt's end, and what its tracking run records. */
export interface StepFinished {
  runId: string;
  step: string;
  attempt: number;
  trackingRunId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  outputs: OutputArtifact[];
  error: string | null;
  worker: string;
  startedAt: number;
  endedAt: number;
  params: Param[];
  tags: Tag[];
  /** For a success: its cache index entry. */
  cache: CacheEntry | null;
}

export const TAG_SUPERSEDED = 'gyre.pipeline.superseded';

export interface PipelineStore {
  /** The run and all its steps (pending) in one transaction. ALREADY_EXISTS when the id is taken. */
  createRun(run: PipelineRun, steps: StepState[]): Promise<void>;
  /** NOT_FOUND when absent. */
  getRun(runId: string): Promise<PipelineRun>;
  /** Newest first. */
  listRuns(filter: { pipeline?: string; limit: number }): Promise<PipelineRun[]>;
  /** Ends a running run; false (and nothing changes) when it has already ended. */
  finishRun(runId: string, status: Exclude<PipelineRunStatus, 'running'>, error: string | null, endedAt: number): Promise<boolean>;
  /** Whether cancellation was asked for (false for an unknown run): what coordinators and workers poll, without reading the definition. */
  isCancelRequested(runId: string): Promise<boolean>;
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
   * Per item, by compare-and-set on the step's attempt (its status not final): the step becomes
   * `queued` at `fromAttempt + 1` and its tracking run is created SCHEDULED — both or neither. One
   * transaction for all items; true where the item applied.
   */
  queueSteps(items: StepToQueue[]): Promise<boolean[]>;
  /** Queued attempts become `running` on their worker, their tracking runs RUNNING; attempts that moved on are left alone. */
  startSteps(items: StepStarted[]): Promise<void>;
  /**
   * Per item, by compare-and-set on the attempt and its tracking run (queued or running): the step takes its final
   * status, its tracking run ends (FINISHED, FAILED, KILLED) with the item's params and tags, and a
   * success is indexed in the cache — one transaction for all items, so a step never succeeds
   * without its cache entry. Where a newer attempt has taken the step, the item's tracking run is
   * ended KILLED and tagged superseded instead, and the item is false.
   */
  finishSteps(items: StepFinished[]): Promise<boolean[]>;
  lookupCache(pipeline: string, step: string, cacheKey: string): Promise<CacheEntry | null>;
  /** Idempotent: the first entry for a key wins (equal keys mean equal outputs). */
  putCache(entry: CacheEntry): Promise<void>;
}
