/**
 * Serving events that need a person become alerts: a model version that fails to load (the previous
 * one keeps serving) raises `model_load_failed` under the pseudo-monitor `serving:<deployment>`,
 * stored, deduplicated and delivered to webhooks like monitor alerts; the next successful load on
 * that deployment resolves it.
 */
import type { MonitoringService } from '../monitoring/monitoring-service.js';
import type { ServingEvent } from './deployments/deployment-runtime.js';

export const servingAlertSource = (deployment: string) => `serving:${deployment}`;

export function servingAlertBridge(monitoring: MonitoringService, onError: (err: unknown) => void = () => {}): (event: ServingEvent) => void {
  // Events arrive synchronously from the reconcile loop; alerts are written in order behind it.
  let queue = Promise.resolve();
  return (e) => {
    if (e.type !== 'model_load_failed' && e.type !== 'model_loaded') return;
    queue = queue
      .then(async () => {
        if (e.type === 'model_load_failed') {
          const d = e.detail as { error?: string; keptServing?: unknown };
          await monitoring.raiseAlert({ source: servingAlertSource(e.deployment), deployment: e.deployment, rule: 'model_load_failed', severity: 'critical', message: `A model version failed to load on deployment '${e.deployment}'; it keeps serving ${JSON.stringify(d.keptServing ?? [])}: ${d.error ?? 'unknown error'}`, at: e.at });
        } else {
          await monitoring.resolveAlert({ source: servingAlertSource(e.deployment), rule: 'model_load_failed', at: e.at });
        }
      })
      .catch(onError);
  };
}
