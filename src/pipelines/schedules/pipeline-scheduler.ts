/**
 * Starts pipelines on their cron schedules. Every fire time is first recorded in the database
 * (moving the schedule's next time by compare-and-set) and only then started, under a run id
 * derived from (schedule, fire time). So several schedulers, or one restarted at any point, never
 * run a fire twice (the record and the run id are unique) and never lose one (a recorded fire whose
 * run does not exist is started by the next tick of any scheduler).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { isGyreError } from '../../core/errors.js';
import { invalidArgument } from '../../core/errors.js';
import type { PipelineService } from '../pipeline-service.js';
import type { PipelineRunResult, StepDispatcher } from '../pipeline-runner.js';
import { loadPipelineFile } from '../pipeline-files.js';
import type { MissedRunPolicy, Schedule, ScheduleFire, ScheduleStore } from './schedule-store.js';
import { MISSED_RUN_POLICIES } from './schedule-store.js';
import { checkCron, fireTimesBetween, nextFireAfter } from './cron-times.js';

/** A fire time up to this late is "on time"; older ones are missed and follow the schedule's policy. */
export const ON_TIME_GRACE_MS = 60_000;
const MAX_BACKFILL = 100;

export const derivedRunId = (kind: string, name: string, key: string | number): string => createHash('sha256').update(`${kind}\0${name}\0${key}`).digest('hex').slice(0, 32);

export interface AddScheduleInput {
  name: string;
  pipelineFile: string;
  cron: string;
  timezone?: string;
  missedPolicy?: MissedRunPolicy;
}

export class PipelineScheduler {
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Map<string, Promise<PipelineRunResult | null>>();

  constructor(
    private readonly pipelines: PipelineService,
    private readonly schedules: ScheduleStore,
    private readonly opts: { dispatcher?: () => Promise<StepDispatcher | null>; onError?: (err: unknown) => void } = {},
  ) {}

  /** Checks the cron, zone, policy and pipeline file before anything is stored. */
  async add(input: AddScheduleInput, now = Date.now()): Promise<Schedule> {
    const timezone = input.timezone ?? 'UTC';
    const missedPolicy = input.missedPolicy ?? 'latest';
    if (!/^[A-Za-z0-9_-]+$/.test(input.name)) throw invalidArgument(`Schedule name '${input.name}' may hold only letters, digits, '_' and '-'.`, { name: input.name });
    if (!MISSED_RUN_POLICIES.includes(missedPolicy)) throw invalidArgument(`Missed-run policy '${missedPolicy}' is unknown. Use one of ${MISSED_RUN_POLICIES.join(', ')}.`, { missedPolicy });
    checkCron(input.cron, timezone);
    const pipelineFile = path.resolve(input.pipelineFile);
    await loadPipelineFile(pipelineFile);
    const schedule: Schedule = { name: input.name, pipelineFile, cron: input.cron, timezone, missedPolicy, nextFireAt: nextFireAfter(input.cron, timezone, now), createdAt: now };
    await this.schedules.createSchedule(schedule);
    return schedule;
  }

  /**
   * Records every due fire time, then starts every recorded fire that has no run yet. Returns the
   * run ids started by this call; `settled()` waits for their runs to end.
   */
  async tick(now = Date.now()): Promise<string[]> {
    await this.recordDue(now);
    const started: string[] = [];
    for (const fire of await this.schedules.unstartedFires()) {
      if (this.inFlight.has(fire.runId)) continue;
      started.push(fire.runId);
      this.inFlight.set(fire.runId, this.startFire(fire));
    }
    return started;
  }

  /** The recording half of a tick (exposed so a test can stop a scheduler right between the halves). */
  async recordDue(now: number): Promise<void> {
    for (const s of await this.schedules.listSchedules()) {
      if (s.nextFireAt > now) continue;
      const due = fireTimesBetween(s.cron, s.timezone, s.nextFireAt, now, MAX_BACKFILL);
      const chosen = chooseFires(due, s.missedPolicy, now);
      const fires: ScheduleFire[] = chosen.map((fireAt) => ({ schedule: s.name, fireAt, runId: derivedRunId('schedule', s.name, fireAt), recordedAt: now }));
      // False: another scheduler recorded these first; it (or we, next) starts them.
      await this.schedules.recordFires(s.name, s.nextFireAt, fires, nextFireAfter(s.cron, s.timezone, now));
    }
  }

  private async startFire(fire: ScheduleFire): Promise<PipelineRunResult | null> {
    try {
      const schedule = await this.schedules.getSchedule(fire.schedule);
      const pipeline = await loadPipelineFile(schedule.pipelineFile);
      const dispatcher = (await this.opts.dispatcher?.()) ?? undefined;
      try {
        return await this.pipelines.run(pipeline, { runId: fire.runId, trigger: `schedule:${fire.schedule}@${new Date(fire.fireAt).toISOString()}`, ...(dispatcher ? { dispatcher } : {}) });
      } finally {
        await dispatcher?.close();
      }
    } catch (err) {
      // ALREADY_EXISTS: another scheduler started this fire; that is the point of derived ids.
      if (!(isGyreError(err) && err.code === 'ALREADY_EXISTS')) this.opts.onError?.(err);
      return null;
    } finally {
      this.inFlight.delete(fire.runId);
    }
  }

  /** Waits for the runs this scheduler started. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
  }

  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick().catch((err) => this.opts.onError?.(err)), intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.settled();
  }
}

/** Which due fire times run, by the schedule's missed-run policy (see MissedRunPolicy). */
export function chooseFires(due: number[], policy: MissedRunPolicy, now: number): number[] {
  const onTime = due.filter((t) => t >= now - ON_TIME_GRACE_MS);
  const missed = due.filter((t) => t < now - ON_TIME_GRACE_MS);
  if (policy === 'all') return due;
  if (policy === 'skip') return onTime;
  // latest: one run for the whole gap — the newest due time, on time or not.
  return due.length ? [Math.max(...missed, ...onTime)] : [];
}
