/** Kysely types of the pipeline tables (migration 0007). */
export interface PipelineRunsTable {
  run_id: string;
  pipeline: string;
  status: string;
  tracking_run_id: string;
  definition: string;
  trigger_name: string;
  force_run: number;
  cancel_requested: number;
  error: string | null;
  created_at: number;
  ended_at: number | null;
}

export interface PipelineStepsTable {
  run_id: string;
  step: string;
  position: number;
  status: string;
  attempt: number;
  cache_key: string | null;
  tracking_run_id: string | null;
  cached_from_run_id: string | null;
  outputs: string;
  input_digests: string;
  error: string | null;
  worker: string | null;
  started_at: number | null;
  ended_at: number | null;
}

export interface PipelineCacheTable {
  pipeline: string;
  step: string;
  cache_key: string;
  outputs: string;
  tracking_run_id: string;
  created_at: number;
}

export interface PipelineSchedulesTable {
  name: string;
  pipeline_file: string;
  cron: string;
  timezone: string;
  missed_policy: string;
  next_fire_at: number;
  created_at: number;
}

export interface PipelineScheduleFiresTable {
  schedule: string;
  fire_at: number;
  run_id: string | null;
  recorded_at: number;
}

export interface PipelineTriggersTable {
  name: string;
  pipeline_file: string;
  source: string;
  filter: string;
  event_cursor: number;
  created_at: number;
}

export interface PipelineTables {
  pipeline_triggers: PipelineTriggersTable;
  pipeline_runs: PipelineRunsTable;
  pipeline_steps: PipelineStepsTable;
  pipeline_cache: PipelineCacheTable;
  pipeline_schedules: PipelineSchedulesTable;
  pipeline_schedule_fires: PipelineScheduleFiresTable;
}
