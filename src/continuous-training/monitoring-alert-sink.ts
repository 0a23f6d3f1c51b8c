/**
 * Retraining alerts through the monitoring service, under the pseudo-monitor `retraining:<deployment>`:
 * stored and deduplicated (one firing alert per rule), logged, delivered to in-process listeners and to
 * webhooks subscribed to `alert.*` — the same path as a monitor's alerts, so one subscription sees both.
 */
import type { MonitoringService } from '../monitoring/monitoring-service.js';
import type { RetrainingAlertSink } from './continuous-trainer.js';

export const retrainingAlertSource = (deployment: string) => `retraining:${deployment}`;

export function monitoringAlertSink(monitoring: MonitoringService): RetrainingAlertSink {
  return {
    async raise(alert, at) {
      await monitoring.raiseAlert({ source: retrainingAlertSource(alert.deployment), deployment: alert.deployment, rule: alert.rule, severity: alert.severity, message: alert.title, at });
    },
    async resolve(deployment, rules, at) {
      for (const rule of rules) await monitoring.resolveAlert({ source: retrainingAlertSource(deployment), rule, at });
    },
  };
}
