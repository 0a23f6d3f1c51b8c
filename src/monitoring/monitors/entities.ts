/**
 * Monitors: a monitor watches one deployment's inference log window by window — data quality,
 * feature and prediction drift against a stored reference profile, and performance once labels
 * arrive — stores every figure as a time series, and raises alerts from its rules
 * (docs/monitoring.md, "Monitors").
 */
import type { ExpectationSuite } from '../../data/expectations.js';
import type { ColumnDriftOptions } from '../drift/column-drift.js';

/** Time windows are aligned to multiples of `ms` since the epoch; count windows are consecutive runs of `rows` records. */
export type WindowSpec = { kind: 'time'; ms: number } | { kind: 'count'; rows: number };

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PERFORMANCE_METRICS = ['rmse', 'mae', 'accuracy', 'auc'] as const;
export type PerformanceMetric = (typeof PERFORMANCE_METRICS)[number];
/** Metrics where a higher value is worse. */
export const LOWER_IS_BETTER = new Set<string>(['rmse', 'mae']);

export type Rule =
  | { kind: 'dataset_drift'; severity?: Severity }
  | { kind: 'feature_drift'; feature: string; severity?: Severity }
  | { kind: 'prediction_drift'; severity?: Severity }
  /** A stored window metric against a constant, e.g. missing_share of temp > 0.05. */
  | { kind: 'threshold'; metric: string; feature?: string; op: '>' | '>=' | '<' | '<='; value: number; severity?: Severity }
  /** A performance metric worse than the baseline (the model manifest's metric unless given) by a relative margin, e.g. 0.2. */
  | { kind: 'performance'; metric: PerformanceMetric; worseBy: number; baseline?: number; severity?: Severity };

export interface MonitorSpec {
  deployment: string;
  /** A stored reference profile, by id or name. */
  profile: string;
  window: WindowSpec;
  /** How often `gyre server` looks at the monitor, ms (default: the window length, or 60 s for count windows). */
  scheduleMs?: number;
  /** Epoch ms from which windows are evaluated (default: the monitor's creation time). */
  startAt?: number;
  /** Labels arrive this long after predictions: performance of a window is measured this much later. */
  labelDelayMs?: number;
  /** Output key read as the prediction (default: the manifest's prediction/label output, else the first key). */
  predictionOutput?: string;
  /** Only these profiled columns are tested for drift (default: all the profile and manifest share). */
  columns?: string[];
  perColumn?: Record<string, ColumnDriftOptions>;
  /** Share of drifted columns at which the window counts as dataset drift (default 0.5). */
  shareThreshold?: number;
  /** A data suite whose row-level expectations are checked on every window (suite-checks.ts). */
  suite?: ExpectationSuite;
  rules: Rule[];
}

export interface MonitorState {
  /** Time windows: start of the next window to evaluate; count windows: timestamp the next window's records start at. */
  nextWindowStart: number;
  lastRunAt: number | null;
  /** The last evaluation's failure, null once one succeeds. */
  lastError: string | null;
}

export interface Monitor {
  name: string;
  spec: MonitorSpec;
  state: MonitorState;
  createdAt: number;
  updatedAt: number;
}

/** One figure of one window: `metric` (e.g. drift_score), per `feature` ('' for window-wide), by `method` ('' when none). */
export interface MetricPoint {
  metric: string;
  feature: string;
  method: string;
  value: number;
}

export interface WindowResult {
  monitor: string;
  windowStart: number;
  windowEnd: number;
  rows: number;
  evaluatedAt: number;
  /** Verdicts and notes for people (skipped columns, unreadable records). */
  summary: Record<string, unknown>;
  metrics: MetricPoint[];
}

export interface SeriesPoint {
  windowStart: number;
  windowEnd: number;
  value: number;
}

export type AlertStatus = 'firing' | 'resolved';

export interface Alert {
  id: number;
  monitor: string;
  deployment: string;
  /** The rule's key (e.g. `threshold:missing_share:temp`); at most one firing alert per monitor and rule. */
  rule: string;
  severity: Severity;
  status: AlertStatus;
  message: string;
  value: number | null;
  raisedAt: number;
  resolvedAt: number | null;
  /** Window that raised it. */
  windowStart: number | null;
}

export const MONITORING_EVENT_TYPES = ['alert.raised', 'alert.resolved'] as const;
export type MonitoringEventType = (typeof MONITORING_EVENT_TYPES)[number];

export interface MonitoringEvent {
  id: number;
  type: MonitoringEventType;
  alert: Alert;
  createdAt: number;
}
