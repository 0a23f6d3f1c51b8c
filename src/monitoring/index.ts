/** Monitoring's public surface: profiles, scoring, monitors, the runner and alert hooks (docs/monitoring.md). */
export { MonitoringService, MAX_WINDOWS_PER_RUN, MONITOR_FAILED_RULE } from './monitoring-service.js';
export type { MonitorRunReport, MonitoringLog } from './monitoring-service.js';
export { MonitorRunner } from './monitor-runner.js';
export type { MonitorRunnerOptions } from './monitor-runner.js';
export { fitProfile } from './profiles/fit-profile.js';
export { scoreProfile } from './profiles/score-profile.js';
export type { ProfileDriftReport } from './profiles/score-profile.js';
export type { ReferenceProfile, StoredProfile, ColumnProfile as ReferenceColumnProfile } from './profiles/entities.js';
export type { Alert, Monitor, MonitorSpec, Rule, WindowSpec, WindowResult, SeriesPoint, MetricPoint, Severity as AlertSeverity } from './monitors/entities.js';
export type { AlertEvent, AlertListener } from './alerts/alert-notifier.js';
export { parseRule } from './monitors/rule-text.js';
export { monitorReport } from './report/monitor-report.js';
