/** Kysely types of the monitoring tables (migration 0008). */
import type { Generated } from 'kysely';

export interface MonitoringProfilesTable {
  profile_id: string;
  name: string;
  source: string;
  row_count: number;
  created_at: number;
  body: string;
}

export interface MonitorsTable {
  name: string;
  deployment: string;
  spec: string;
  next_window_start: number;
  last_run_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface MonitorWindowsTable {
  monitor: string;
  window_start: number;
  window_end: number;
  row_count: number;
  evaluated_at: number;
  summary: string;
}

export interface MonitorMetricsTable {
  monitor: string;
  metric: string;
  feature: string;
  window_start: number;
  window_end: number;
  method: string;
  value: number;
}

export interface MonitorAlertsTable {
  alert_id: Generated<number>;
  monitor: string;
  deployment: string;
  rule: string;
  severity: string;
  status: string;
  message: string;
  value: number | null;
  window_start: number | null;
  raised_at: number;
  resolved_at: number | null;
}

export interface MonitoringEventsTable {
  event_id: Generated<number>;
  type: string;
  alert_id: number;
  payload: string;
  created_at: number;
}

export interface MonitoringTables {
  monitoring_profiles: MonitoringProfilesTable;
  monitors: MonitorsTable;
  monitor_windows: MonitorWindowsTable;
  monitor_metrics: MonitorMetricsTable;
  monitor_alerts: MonitorAlertsTable;
  monitoring_events: MonitoringEventsTable;
}
