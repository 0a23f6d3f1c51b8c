/**
 * This process's writes of step state, group-committed: every step queued, started or finished
 * while a transaction is in flight goes in the next one (core/group-commit.ts). A coordinator with
 * 32 steps in flight, or a worker running 8, pays a few transactions per batch of steps instead of
 * a few per step — on PostgreSQL, round trips are what a distributed step costs (bench/pipelines.js).
 */
import { GroupCommit } from '../core/group-commit.js';
import type { PipelineStore, StepFinished, StepStarted, StepToQueue } from './pipeline-store.js';

export class StepJournal {
  private readonly queued: GroupCommit<StepToQueue, boolean>;
  private readonly started: GroupCommit<StepStarted, undefined>;
  private readonly finished: GroupCommit<StepFinished, boolean>;

  constructor(store: PipelineStore) {
    this.queued = new GroupCommit((items) => store.queueSteps(items));
    this.started = new GroupCommit(async (items) => (await store.startSteps(items), items.map(() => undefined)));
    this.finished = new GroupCommit((items) => store.finishSteps(items));
  }

  /** See PipelineStore.queueSteps: true when this attempt is now queued. */
  queue(item: StepToQueue): Promise<boolean> {
    return this.queued.submit(item);
  }
  start(item: StepStarted): Promise<undefined> {
    return this.started.submit(item);
  }
  /** See PipelineStore.finishSteps: false when a newer attempt had taken the step. */
  finish(item: StepFinished): Promise<boolean> {
    return this.finished.submit(item);
  }
}
