/** Persistence of monitoring: profiles, monitors, window results, alerts and their outbox. Contract: monitoring-store.contract.ts. */
import type { StoredProfile } from './profiles/entities.js';
import type { Alert, Monitor, MonitorSpec, MonitorState, MonitoringEvent, SeriesPoint, Severity, WindowResult } from './monitors/entities.js';

export interface RaiseAlertInput {
  monitor: string;
  deployment: string;
  rule: string;
  severity: Severity;
  message: string;
  value: number | null;
  windowStart: number | null;
  at: number;
}

export interface MonitoringStore {
  saveProfile(profile: StoredProfile): Promise<void>;
  /** By id or name. */
  getProfile(idOrName: string): Promise<StoredProfile>;
  /** Without bodies (they can be megabytes). */
  listProfiles(): Promise<Omit<StoredProfile, 'profile'>[]>;

  createMonitor(name: string, spec: MonitorSpec, at: number, state: MonitorState): Promise<Monitor>;
  getMonitor(name: string): Promise<Monitor>;
  listMonitors(): Promise<Monitor[]>;
  /** Deletes the monitor and its results; its firing alerts are resolved (with events), its alert history stays. Returns the resolved alerts. */
  deleteMonitor(name: string, at: number): Promise<Alert[]>;
  /** Records a failed (or empty) run without results. */
  setState(name: string, state: MonitorState): Promise<void>;

  /** Stores a window's results and moves the monitor on, in one transaction (a crash never half-records a window). */
  recordWindow(result: WindowResult, state: MonitorState): Promise<void>;
  /** Adds or replaces figures of an earlier window (performance once its labels arrive). */
  upsertMetrics(monitor: string, windowStart: number, windowEnd: number, metrics: WindowResult['metrics']): Promise<void>;
  /** Windows newest first. */
  listWindows(monitor: string, options?: { from?: number; to?: number; limit?: number }): Promise<WindowResult[]>;
  /** One metric over time, oldest first. */
  series(monitor: string, metric: string, options?: { feature?: string; from?: number; to?: number }): Promise<SeriesPoint[]>;

  /** Raises the rule's alert unless one is already firing (then null: deduplicated); writes `alert.raised`. */
  raiseAlert(input: RaiseAlertInput): Promise<Alert | null>;
  /** Resolves the rule's firing alert, if any; writes `alert.resolved`. */
  resolveAlert(monitor: string, rule: string, at: number): Promise<Alert | null>;
  listAlerts(options?: { monitor?: string; status?: Alert['status']; limit?: number }): Promise<Alert[]>;
  /** Alert events with id > afterId, oldest first. */
  listEvents(afterId: number, limit: number): Promise<MonitoringEvent[]>;
}
