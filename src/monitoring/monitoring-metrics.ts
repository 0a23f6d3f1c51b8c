/**
 * Monitoring's Prometheus gauges: the latest window's figures per deployment. Labels stay bounded:
 * features come from the model's manifest, methods and metrics from closed sets; a feature whose
 * test changes (e.g. KS → Wasserstein as the reference grows) drops its old series.
 */
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { MetricPoint } from './monitors/entities.js';

export class MonitoringMetrics {
  private readonly driftScore: Gauge<'deployment' | 'feature' | 'method'>;
  private readonly featureShare: Gauge<'deployment' | 'feature' | 'check'>;
  private readonly datasetDriftShare: Gauge<'deployment'>;
  private readonly predictionDrift: Gauge<'deployment' | 'method'>;
  private readonly performance: Gauge<'deployment' | 'metric'>;
  private readonly windowRows: Gauge<'deployment'>;
  private readonly alertsFiring: Gauge<'deployment' | 'severity'>;
  readonly failures: Counter<'monitor'>;
  private readonly methods = new Map<string, string>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.driftScore = new Gauge({ name: 'gyre_feature_drift_score', help: 'Drift score of a feature in the latest window (p-value for ks/chisquare/z, distance otherwise).', labelNames: ['deployment', 'feature', 'method'], registers });
    this.featureShare = new Gauge({ name: 'gyre_feature_quality_share', help: 'Share of rows of a feature in the latest window failing a check: missing, type_error, unseen_category, out_of_range.', labelNames: ['deployment', 'feature', 'check'], registers });
    this.datasetDriftShare = new Gauge({ name: 'gyre_dataset_drift_share', help: 'Share of monitored features that drifted in the latest window.', labelNames: ['deployment'], registers });
    this.predictionDrift = new Gauge({ name: 'gyre_prediction_drift_score', help: 'Drift score of the predictions in the latest window.', labelNames: ['deployment', 'method'], registers });
    this.performance = new Gauge({ name: 'gyre_model_performance', help: 'Performance on labelled rows of the latest measured window (rmse, mae, accuracy, auc).', labelNames: ['deployment', 'metric'], registers });
    this.windowRows = new Gauge({ name: 'gyre_monitor_window_rows', help: 'Rows in the latest evaluated window.', labelNames: ['deployment'], registers });
    this.alertsFiring = new Gauge({ name: 'gyre_monitor_alerts_firing', help: 'Alerts firing now, by severity.', labelNames: ['deployment', 'severity'], registers });
    this.failures = new Counter({ name: 'gyre_monitor_failures_total', help: 'Monitor evaluations that failed.', labelNames: ['monitor'], registers });
  }

  recordWindow(deployment: string, metrics: readonly MetricPoint[]): void {
    for (const m of metrics) {
      switch (m.metric) {
        case 'drift_score': {
          const key = `${deployment}\u0000${m.feature}`;
          const old = this.methods.get(key);
          if (old !== undefined && old !== m.method) this.driftScore.remove({ deployment, feature: m.feature, method: old });
          this.methods.set(key, m.method);
          this.driftScore.set({ deployment, feature: m.feature, method: m.method }, m.value);
          break;
        }
        case 'missing_share':
        case 'type_error_share':
        case 'unseen_category_share':
        case 'out_of_range_share':
          this.featureShare.set({ deployment, feature: m.feature, check: m.metric.replace(/_share$/, '') }, m.value);
          break;
        case 'dataset_drift_share':
          this.datasetDriftShare.set({ deployment }, m.value);
          break;
        case 'prediction_drift_score':
          this.predictionDrift.set({ deployment, method: m.method }, m.value);
          break;
        case 'rmse':
        case 'mae':
        case 'accuracy':
        case 'auc':
          this.performance.set({ deployment, metric: m.metric }, m.value);
          break;
        case 'rows':
          this.windowRows.set({ deployment }, m.value);
          break;
      }
    }
  }

  setAlertsFiring(deployment: string, bySeverity: Record<string, number>): void {
    for (const severity of ['info', 'warning', 'critical']) this.alertsFiring.set({ deployment, severity }, bySeverity[severity] ?? 0);
  }
}
