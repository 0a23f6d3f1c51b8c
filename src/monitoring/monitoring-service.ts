/**
 * Monitoring: reference profiles, monitors over deployments, their per-window results, and alerts.
 * `runDue(now)` evaluates every window that has closed by `now` — `now` is explicit so a replay can
 * drive it on a simulated clock. A failing monitor records its error and raises its own alert
 * (`monitor_failed`); it never stops the other monitors or the loop.
 */
import { PromiseMemo } from '../core/promise-memo.js';
import type { MonitoringStore } from './monitoring-store.js';
import type { InferenceLogStore } from '../serving/inference-log/inference-log-store.js';
import type { GyreModelManifest } from '../models/manifest.js';
import type { Alert, MetricPoint, Monitor, MonitoringEventType, MonitorSpec, SeriesPoint, WindowResult } from './monitors/entities.js';
import { checkMonitorName, checkMonitorSpec, initialState, performanceLag, scheduleOf } from './monitors/monitor-spec.js';
import { dominantVersion, MAX_WINDOW_RECORDS, nextWindow } from './monitors/window-source.js';
import { predictionOutput, windowRows } from './monitors/window-rows.js';
import type { WindowRows } from './monitors/window-rows.js';
import { evaluatePerformance, evaluateWindow } from './monitors/evaluate-window.js';
import { evaluateRule, ruleKey, severityOf } from './monitors/rules.js';
import { baselinesOf } from './monitors/baselines.js';
import { AlertNotifier } from './alerts/alert-notifier.js';
import type { AlertListener } from './alerts/alert-notifier.js';
import type { MonitoringMetrics } from './monitoring-metrics.js';
import { ProfileService } from './profiles/profile-service.js';
import { invalidArgument } from '../core/errors.js';
import type { ManifestOf, ReadDataset } from './profiles/profile-service.js';

/** Windows one monitor evaluates per `runDue`, so a monitor far behind catches up without starving the others. */
export const MAX_WINDOWS_PER_RUN = 1_000;
export const MONITOR_FAILED_RULE = 'monitor_failed';
const PERFORMANCE = new Set(['rmse', 'mae', 'accuracy', 'auc', 'labeled_rows']);

export interface MonitoringLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MonitoringDeps {
  store: MonitoringStore;
  inferenceLog: InferenceLogStore;
  /** Throws NOT_FOUND for an unknown deployment. */
  checkDeployment(name: string): Promise<unknown>;
  manifestOf: ManifestOf;
  readDataset?: ReadDataset;
  metrics?: MonitoringMetrics;
  log?: MonitoringLog;
  now?: () => number;
}

export interface MonitorRunReport {
  monitor: string;
  windows: number;
  error: string | null;
}

const silent: MonitoringLog = { info() {}, warn() {}, error() {} };

export class MonitoringService {
  readonly profiles: ProfileService;
  readonly alerts: AlertNotifier;
  private log: MonitoringLog;
  private readonly now: () => number;
  private readonly manifests = new PromiseMemo<GyreModelManifest>();
  private readonly running = new Set<string>();

  constructor(private readonly deps: MonitoringDeps) {
    this.log = deps.log ?? silent;
    this.now = deps.now ?? Date.now;
    this.alerts = new AlertNotifier((err) => this.log.error({ err }, 'alert listener failed'));
    this.profiles = new ProfileService(deps.store, deps.inferenceLog, (n, v) => this.manifest(n, v), deps.readDataset ?? null, this.now);
  }

  /** Where alerts and failures are logged (the server's logger); silent until set. */
  useLog(log: MonitoringLog): void {
    this.log = log;
  }

  /**
   * Alerts raised by other parts of Gyre (continuous training: a challenger failed its gate, a
   * retraining failed) under a pseudo-monitor `source`: stored, deduplicated per source and rule,
   * logged, delivered to listeners and webhooks exactly like a monitor's alerts. Null when already firing.
   */
  async raiseAlert(input: { source: string; deployment: string; rule: string; severity: Alert['severity']; message: string; value?: number | null; at?: number }): Promise<Alert | null> {
    const at = input.at ?? this.now();
    const alert = await this.deps.store.raiseAlert({ monitor: input.source, deployment: input.deployment, rule: input.rule, severity: input.severity, message: input.message, value: input.value ?? null, windowStart: null, at });
    if (alert) await this.announce('alert.raised', alert);
    return alert;
  }

  /** Resolves a firing alert raised with raiseAlert; null when none was firing. */
  async resolveAlert(input: { source: string; rule: string; at?: number }): Promise<Alert | null> {
    const alert = await this.deps.store.resolveAlert(input.source, input.rule, input.at ?? this.now());
    if (alert) await this.announce('alert.resolved', alert);
    return alert;
  }

  /** Subscribes to alerts raised and resolved in this process (e.g. a retraining policy); returns the unsubscribe function. */
  onAlert(listener: AlertListener): () => void {
    return this.alerts.subscribe(listener);
  }

  async create(name: string, spec: MonitorSpec): Promise<Monitor> {
    checkMonitorName(name);
    checkMonitorSpec(spec);
    await this.deps.checkDeployment(spec.deployment);
    const profile = await this.profiles.get(spec.profile);
    const known = new Set(profile.profile.columns.map((c) => c.name));
    const unknown = (spec.columns ?? []).filter((c) => !known.has(c));
    if (unknown.length) throw invalidArgument(`Columns ${unknown.join(', ')} are not in profile '${profile.name}'; profiled columns: ${[...known].join(', ')}.`, { field: 'columns' });
    const at = this.now();
    return this.deps.store.createMonitor(name, { ...spec, profile: profile.id }, at, initialState(spec, at));
  }

  get(name: string): Promise<Monitor> {
    return this.deps.store.getMonitor(name);
  }

  list(): Promise<Monitor[]> {
    return this.deps.store.listMonitors();
  }

  /** Deletes a monitor and its results; its firing alerts resolve (listeners and webhooks hear it). */
  async delete(name: string): Promise<void> {
    const resolved = await this.deps.store.deleteMonitor(name, this.now());
    for (const alert of resolved) await this.alerts.emit({ type: 'alert.resolved', alert });
    if (resolved.length) await this.refreshAlertGauge(resolved[0]!.deployment);
  }

  results(name: string, options: { from?: number; to?: number; limit?: number } = {}): Promise<WindowResult[]> {
    return this.deps.store.listWindows(name, options);
  }

  async series(name: string, metric: string, options: { feature?: string; from?: number; to?: number } = {}): Promise<SeriesPoint[]> {
    await this.get(name);
    return this.deps.store.series(name, metric, options);
  }

  listAlerts(options: { monitor?: string; status?: Alert['status']; limit?: number } = {}): Promise<Alert[]> {
    return this.deps.store.listAlerts(options);
  }

  /** The rows of one window (features and predictions), for plots; null when it had no traffic. */
  async windowRows(name: string, from: number, to: number): Promise<WindowRows | null> {
    const m = await this.get(name);
    const records = await this.deps.inferenceLog.readWindow({ deployment: m.spec.deployment, from, to, variant: 'primary', limit: MAX_WINDOW_RECORDS });
    const version = dominantVersion(records);
    if (!version) return null;
    const manifest = await this.manifest(version.modelName, version.modelVersion);
    return windowRows(records, manifest, predictionOutput(manifest, m.spec.predictionOutput));
  }

  /** Evaluates every monitor with a closed window (or whose count-window schedule is up) by `now`. Never throws. */
  async runDue(now: number = this.now()): Promise<MonitorRunReport[]> {
    const reports: MonitorRunReport[] = [];
    let monitors: Monitor[];
    try {
      monitors = await this.list();
    } catch (err) {
      this.log.error({ err }, 'monitoring: could not list monitors');
      return reports;
    }
    for (const m of monitors) if (isDue(m, now)) reports.push(await this.run(m.name, now));
    return reports;
  }

  /** Evaluates one monitor's closed windows up to `now`. Failures are recorded and alerted, and returned, not thrown. */
  async run(name: string, now: number = this.now()): Promise<MonitorRunReport> {
    // One evaluation per monitor at a time in this process (the runner and a CLI/REST 'run' may overlap).
    if (this.running.has(name)) return { monitor: name, windows: 0, error: null };
    this.running.add(name);
    let m: Monitor | null = null;
    let windows = 0;
    try {
      m = await this.get(name);
      windows = await this.evaluate(m, now);
      await this.transition(m, MONITOR_FAILED_RULE, { state: 'ok', value: 0 }, 'critical', null, now);
      return { monitor: name, windows, error: null };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error({ err, monitor: name }, `monitor ${name} failed`);
      this.deps.metrics?.failures.inc({ monitor: name });
      if (m) {
        const failed = m;
        await this.deps.store
          .getMonitor(name)
          .then((cur) => this.deps.store.setState(name, { ...cur.state, lastRunAt: now, lastError: message }))
          .then(() => this.transition(failed, MONITOR_FAILED_RULE, { state: 'firing', value: 1, message: `Monitor '${name}' failed: ${message}` }, 'critical', null, now))
          .catch((e: unknown) => this.log.error({ err: e, monitor: name }, 'could not record the monitor failure'));
      }
      return { monitor: name, windows, error: message };
    } finally {
      this.running.delete(name);
    }
  }

  private async evaluate(m: Monitor, now: number): Promise<number> {
    const profile = (await this.profiles.get(m.spec.profile)).profile;
    const lag = performanceLag(m.spec);
    let state = m.state;
    let count = 0;
    for (; count < MAX_WINDOWS_PER_RUN; count++) {
      const w = await nextWindow(this.deps.inferenceLog, m.spec, state.nextWindowStart, now);
      if (!w) break;
      const version = dominantVersion(w.records);
      const manifest = version ? await this.manifest(version.modelName, version.modelVersion) : null;
      const figures = manifest
        ? evaluateWindow(w.records, manifest, profile, m.spec, lag === 0)
        : { rows: 0, metrics: [{ metric: 'rows', feature: '', method: '', value: 0 }], summary: { datasetDrift: null, driftedColumns: [], skippedColumns: [], unreadableRecords: 0, unmatchedLabels: 0, modelVersions: [] } };
      state = { nextWindowStart: w.end, lastRunAt: now, lastError: null };
      await this.deps.store.recordWindow({ monitor: m.name, windowStart: w.start, windowEnd: w.end, rows: figures.rows, evaluatedAt: now, summary: figures.summary, metrics: figures.metrics }, state);
      let ruleMetrics: MetricPoint[] = figures.metrics;
      let baselines = baselinesOf(manifest);
      if (lag > 0) {
        const late = await this.latePerformance(m, w.start - lag, w.end - lag);
        ruleMetrics = [...figures.metrics.filter((p) => !PERFORMANCE.has(p.metric)), ...late.metrics];
        baselines = { ...baselines, ...late.baselines };
      }
      this.deps.metrics?.recordWindow(m.spec.deployment, ruleMetrics);
      for (const rule of m.spec.rules) await this.transition(m, ruleKey(rule), evaluateRule(rule, ruleMetrics, baselines), severityOf(rule), w.start, now);
    }
    if (count === 0) await this.deps.store.setState(m.name, { ...state, lastRunAt: now, lastError: null });
    await this.refreshAlertGauge(m.spec.deployment);
    return count;
  }

  /** Performance of an earlier window whose labels are now due; stored on that window. */
  private async latePerformance(m: Monitor, from: number, to: number): Promise<{ metrics: MetricPoint[]; baselines: Record<string, number> }> {
    const records = await this.deps.inferenceLog.readWindow({ deployment: m.spec.deployment, from, to, variant: 'primary', labeledOnly: true, limit: 1_000_000 });
    const version = dominantVersion(records);
    if (!version) return { metrics: [], baselines: {} };
    const manifest = await this.manifest(version.modelName, version.modelVersion);
    const metrics = evaluatePerformance(records, manifest, m.spec);
    await this.deps.store.upsertMetrics(m.name, from, to, metrics);
    return { metrics, baselines: baselinesOf(manifest) };
  }

  private async transition(m: Monitor, rule: string, state: ReturnType<typeof evaluateRule>, severity: Alert['severity'], windowStart: number | null, now: number): Promise<void> {
    if (state.state === 'no_data') return;
    const alert =
      state.state === 'firing'
        ? await this.deps.store.raiseAlert({ monitor: m.name, deployment: m.spec.deployment, rule, severity, message: state.message, value: state.value, windowStart, at: now })
        : await this.deps.store.resolveAlert(m.name, rule, now);
    if (!alert) return;
    await this.announce(state.state === 'firing' ? 'alert.raised' : 'alert.resolved', alert);
  }

  private async announce(type: MonitoringEventType, alert: Alert): Promise<void> {
    this.log[type === 'alert.raised' ? (alert.severity === 'info' ? 'info' : 'warn') : 'info']({ alert }, `${type}: ${alert.monitor} ${alert.rule}${type === 'alert.raised' ? ` — ${alert.message}` : ''}`);
    await this.alerts.emit({ type, alert });
  }

  private async refreshAlertGauge(deployment: string): Promise<void> {
    if (!this.deps.metrics) return;
    const firing = (await this.deps.store.listAlerts({ status: 'firing', limit: 10_000 })).filter((a) => a.deployment === deployment);
    const counts: Record<string, number> = {};
    for (const a of firing) counts[a.severity] = (counts[a.severity] ?? 0) + 1;
    this.deps.metrics.setAlertsFiring(deployment, counts);
  }

  /** Manifests of served versions never change, so they are read once per process. */
  private manifest(modelName: string, version: string): Promise<GyreModelManifest> {
    return this.manifests.get(`${modelName}/${version}`, () => this.deps.manifestOf(modelName, version));
  }
}

function isDue(m: Monitor, now: number): boolean {
  const schedule = scheduleOf(m.spec);
  const scheduleUp = m.state.lastRunAt === null || now - m.state.lastRunAt >= schedule;
  if (m.spec.window.kind === 'count') return scheduleUp;
  // A failed monitor is retried on its schedule; a healthy one as soon as a window has closed.
  const windowClosed = m.state.nextWindowStart + m.spec.window.ms <= now;
  return windowClosed && (m.spec.scheduleMs === undefined || scheduleUp) && (m.state.lastError === null || scheduleUp);
}
