/**
 * When the items of a fan-out share a BullMQ job. A job costs Redis, the worker and the coordinator
 * a fixed ~0.3 ms of CPU whatever it carries (bench/pipelines.js); for items that take far longer
 * that is nothing, for items that take a millisecond it is most of their cost. So, as Dask fuses
 * tiny tasks and Spark runs a partition per task, the items of one mapped step that have proven
 * fast are sent in jobs of several, which a worker runs one after another: each item stays a step
 * of its own (its state, tracking run, retries, cache entry), only the transport is shared.
 *
 * The pace of a mapped step is learnt from its items' ends, and kept by the coordinating process
 * for the next run of the very same definition (same code, params and items: a scheduled pipeline
 * reruns it often; its first items then need not go alone; a one-off `gyre pipelines run` process
 * starts from nothing). Until FIRST_SEEN items have ended, or while they take FAST_ITEM_MS or more
 * on average, every item is a job of its own: long items (training trials, partitions of real data)
 * keep the pool's full parallelism and lose nothing. Fast ones go in jobs of at most
 * MAX_ITEMS_PER_JOB, sized so a job runs about JOB_BUDGET_MS.
 */

import { invalidArgument } from '../../core/errors.js';
import type { PipelineRun } from '../entities.js';

/** Items of a mapped step that must have ended before any of its later items share a job. */
export const FIRST_SEEN = 8;
/**
 * Items taking less than this on average (their executor's own measure) may share a job: well
 * under a job's own cost in round trips (a few ms), so running a few in a row delays none much.
 */
export const FAST_ITEM_MS = 1;
/** A shared job is sized to run about this long (what its round trips would have cost them). */
export const JOB_BUDGET_MS = 5;
export const MAX_ITEMS_PER_JOB = 16;

/** Weight of the newest end in the running average: about the last twenty items count. */
const WEIGHT = 0.1;
/** Mapped steps whose pace is remembered (a coordinator runs a few pipelines at once). */
const REMEMBERED = 1000;
/**
 * Paces learnt by this process, shared by its dispatchers: the scheduler and the server open one
 * per run, and the next run of the same definition should not start from nothing.
 */
const learnt = new Map<string, Pace>();

export interface Pace {
  seen: number;
  meanMs: number;
}

export interface SharingOptions {
  /** Items that must have ended before later ones share jobs; 0 shares from the first (default FIRST_SEEN). */
  firstSeen?: number;
  /** At most this many items per job; 1 turns sharing off (default MAX_ITEMS_PER_JOB). */
  maxItemsPerJob?: number;
}

export class ItemPace {
  private readonly firstSeen: number;
  private readonly maxItems: number;

  /** `paces`: where paces are kept (this process's, unless a test gives its own). */
  constructor(opts: SharingOptions = {}, private readonly paces: Map<string, Pace> = learnt) {
    this.firstSeen = opts.firstSeen ?? FIRST_SEEN;
    this.maxItems = opts.maxItemsPerJob ?? MAX_ITEMS_PER_JOB;
    if (!Number.isInteger(this.firstSeen) || this.firstSeen < 0) throw invalidArgument(`firstSeen must be a whole number ≥ 0, not ${opts.firstSeen}.`, { firstSeen: opts.firstSeen });
    if (!Number.isInteger(this.maxItems) || this.maxItems < 1) throw invalidArgument(`The items per job must be a whole number ≥ 1 (1 turns sharing off), not ${opts.maxItemsPerJob}. Check GYRE_MAX_ITEMS_PER_JOB.`, { maxItemsPerJob: opts.maxItemsPerJob });
  }

  /** An item of mapped step `family` ran for `ms`. */
  ended(family: string, ms: number): void {
    const ran = Math.max(0, ms);
    const pace = this.paces.get(family);
    if (!pace) {
      if (this.paces.size >= REMEMBERED) this.paces.delete(this.paces.keys().next().value!);
      this.paces.set(family, { seen: 1, meanMs: ran });
      return;
    }
    pace.seen++;
    // A plain mean over the first items, then a moving one: a step that slows down is noticed.
    pace.meanMs += (ran - pace.meanMs) * Math.max(WEIGHT, 1 / pace.seen);
  }

  /** How many items of `family` one job may carry now (1 until they have proven fast). */
  itemsPerJob(family: string): number {
    const pace = this.paces.get(family) ?? { seen: 0, meanMs: 0 };
    if (this.maxItems === 1 || pace.seen < this.firstSeen || pace.meanMs >= FAST_ITEM_MS) return 1;
    return Math.max(1, Math.min(this.maxItems, Math.floor(JOB_BUDGET_MS / Math.max(pace.meanMs, JOB_BUDGET_MS / this.maxItems))));
  }
}

/**
 * The key a mapped step's items share — across runs of one definition (its digest covers the code,
 * params and items); null for a step that is not an item of a fan-out.
 */
export const familyOf = (run: Pick<PipelineRun, 'pipeline' | 'definition'>, mappedFrom: string | null): string | null =>
  mappedFrom === null ? null : `${run.pipeline}\u0000${run.definition.digest}\u0000${mappedFrom}`;

/** Splits `items` into consecutive groups of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
