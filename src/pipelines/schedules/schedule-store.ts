/** Persistence of schedules, their fire times, and event triggers with their read cursors. */

/**
 * What happens to fire times that passed while no scheduler ran:
 * - `latest` (default): run once, for the most recent missed time (Airflow's catchup=False);
 * - `all`: run every missed time, oldest first (a backfill; at most 100 per catch-up);
 * - `skip`: run none; wait for the next time.
 */
export type MissedRunPolicy = 'latest' | 'all' | 'skip';
export const MISSED_RUN_POLICIES: readonly MissedRunPolicy[] = ['latest', 'all', 'skip'];

export interface Schedule {
  name: string;
  /** The pipeline file (YAML, dvc.yaml or JS module) the schedule runs, as an absolute path. */
  pipelineFile: string;
  cron: string;
  /** IANA time zone the cron expression is read in (`Europe/Paris`), `UTC` by default. */
  timezone: string;
  missedPolicy: MissedRunPolicy;
  /** The next fire time not yet recorded (epoch ms). */
  nextFireAt: number;
  createdAt: number;
}

export interface ScheduleFire {
  schedule: string;
  fireAt: number;
  /** Deterministic from (schedule, fireAt): starting the same fire twice finds the run already there. */
  runId: string;
  recordedAt: number;
}

export interface TriggerBinding {
  name: string;
  pipelineFile: string;
  /** `registry`, `http`, later `dataset` and `monitoring` (see trigger-sources.ts). */
  source: string;
  /** Which events start the pipeline: event types (`model_version.created`, `model_alias.*`) and a model. */
  filter: { eventTypes?: string[]; model?: string };
  /** The last source event id handled. */
  cursor: number;
  createdAt: number;
}

export interface ScheduleStore {
  /** ALREADY_EXISTS when the name is taken. */
  createSchedule(s: Schedule): Promise<void>;
  getSchedule(name: string): Promise<Schedule>;
  listSchedules(): Promise<Schedule[]>;
  deleteSchedule(name: string): Promise<void>;
  /**
   * In one transaction: records `fires` and moves the schedule's next fire time from `expectedNext`
   * to `next`. False (nothing written) when another scheduler moved it first.
   */
  recordFires(name: string, expectedNext: number, fires: ScheduleFire[], next: number): Promise<boolean>;
  /** Recorded fires whose pipeline run does not exist yet (a scheduler stopped in between). */
  unstartedFires(): Promise<ScheduleFire[]>;
  listFires(schedule: string): Promise<ScheduleFire[]>;

  createTrigger(t: TriggerBinding): Promise<void>;
  getTrigger(name: string): Promise<TriggerBinding>;
  listTriggers(): Promise<TriggerBinding[]>;
  deleteTrigger(name: string): Promise<void>;
  /** Compare-and-set of the read cursor; false when another process advanced it. */
  advanceTrigger(name: string, expected: number, next: number): Promise<boolean>;
}
