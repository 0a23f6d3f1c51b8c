/** MonitoringStore over Kysely, shared by SQLite and PostgreSQL. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { MonitorAlertsTable } from '../monitoring-tables.js';
import type { MonitoringStore, RaiseAlertInput } from '../../monitoring/monitoring-store.js';
import type { StoredProfile } from '../../monitoring/profiles/entities.js';
import type { Alert, Monitor, MonitorSpec, MonitorState, MonitoringEvent, MonitoringEventType, SeriesPoint, Severity, WindowResult } from '../../monitoring/monitors/entities.js';
import { alreadyExists, notFound } from '../../core/errors.js';
import { isUniqueViolation } from './sql-errors.js';

// Rows per multi-row insert: 7 values each stays far below SQLite's bound-parameter limit.
const METRICS_PER_INSERT = 500;

const toAlert = (r: Selectable<MonitorAlertsTable>): Alert => ({
  id: Number(r.alert_id),
  monitor: r.monitor,
  deployment: r.deployment,
  rule: r.rule,
  severity: r.severity as Severity,
  status: r.status as Alert['status'],
  message: r.message,
  value: r.value,
  raisedAt: Number(r.raised_at),
  resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
  windowStart: r.window_start === null ? null : Number(r.window_start),
});

export class SqlMonitoringStore implements MonitoringStore {
  constructor(private readonly db: Kysely<Database>) {}

  async saveProfile(p: StoredProfile): Promise<void> {
    try {
      await this.db
        .insertInto('monitoring_profiles')
        .values({ profile_id: p.id, name: p.name, source: p.source, row_count: p.rowCount, created_at: p.createdAt, body: JSON.stringify(p.profile) })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyExists(`A reference profile named '${p.name}' already exists; choose another name (profiles are immutable, so a monitor's reference never changes under it).`, { name: p.name });
      throw err;
    }
  }

  async getProfile(idOrName: string): Promise<StoredProfile> {
    const row = await this.db.selectFrom('monitoring_profiles').selectAll().where((eb) => eb.or([eb('profile_id', '=', idOrName), eb('name', '=', idOrName)])).executeTakeFirst();
    if (!row) throw notFound(`No reference profile '${idOrName}'. Fit one with 'gyre monitor profile' and list them with 'gyre monitor profiles'.`, { profile: idOrName });
    return { id: row.profile_id, name: row.name, source: row.source, rowCount: Number(row.row_count), createdAt: Number(row.created_at), profile: JSON.parse(row.body) };
  }

  async listProfiles(): Promise<Omit<StoredProfile, 'profile'>[]> {
    const rows = await this.db.selectFrom('monitoring_profiles').select(['profile_id', 'name', 'source', 'row_count', 'created_at']).orderBy('created_at').orderBy('name').execute();
    return rows.map((r) => ({ id: r.profile_id, name: r.name, source: r.source, rowCount: Number(r.row_count), createdAt: Number(r.created_at) }));
  }

  async createMonitor(name: string, spec: MonitorSpec, at: number, state: MonitorState): Promise<Monitor> {
    try {
      await this.db
        .insertInto('monitors')
        .values({ name, deployment: spec.deployment, spec: JSON.stringify(spec), next_window_start: state.nextWindowStart, last_run_at: state.lastRunAt, last_error: state.lastError, created_at: at, updated_at: at })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyExists(`Monitor '${name}' already exists; delete it first or choose another name.`, { name });
      throw err;
    }
    return this.getMonitor(name);
  }

  async getMonitor(name: string): Promise<Monitor> {
    const row = await this.db.selectFrom('monitors').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound(`Monitor '${name}' does not exist. List them with 'gyre monitor list'.`, { name });
    return toMonitor(row);
  }

  async listMonitors(): Promise<Monitor[]> {
    return (await this.db.selectFrom('monitors').selectAll().orderBy('name').execute()).map(toMonitor);
  }

  async deleteMonitor(name: string, at: number): Promise<Alert[]> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx.deleteFrom('monitors').where('name', '=', name).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw notFound(`Monitor '${name}' does not exist.`, { name });
      // A monitor created again under this name starts a fresh series.
      await trx.deleteFrom('monitor_windows').where('monitor', '=', name).execute();
      await trx.deleteFrom('monitor_metrics').where('monitor', '=', name).execute();
      // Nothing will evaluate these rules again: left firing they would never clear.
      const rows = await trx.updateTable('monitor_alerts').set({ status: 'resolved', resolved_at: at }).where('monitor', '=', name).where('status', '=', 'firing').returningAll().execute();
      const resolved = rows.map(toAlert);
      for (const a of resolved) await addEvent(trx, 'alert.resolved', a);
      return resolved;
    });
  }

  async setState(name: string, state: MonitorState): Promise<void> {
    await this.db.updateTable('monitors').set(stateColumns(state)).where('name', '=', name).execute();
  }

  async recordWindow(w: WindowResult, state: MonitorState): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('monitor_windows').where('monitor', '=', w.monitor).where('window_start', '=', w.windowStart).execute();
      await trx
        .insertInto('monitor_windows')
        .values({ monitor: w.monitor, window_start: w.windowStart, window_end: w.windowEnd, row_count: w.rows, evaluated_at: w.evaluatedAt, summary: JSON.stringify(w.summary) })
        .execute();
      await writeMetrics(trx, w.monitor, w.windowStart, w.windowEnd, w.metrics);
      await trx.updateTable('monitors').set(stateColumns(state)).where('name', '=', w.monitor).execute();
    });
  }

  async upsertMetrics(monitor: string, windowStart: number, windowEnd: number, metrics: WindowResult['metrics']): Promise<void> {
    await this.db.transaction().execute((trx) => writeMetrics(trx, monitor, windowStart, windowEnd, metrics));
  }

  async listWindows(monitor: string, options: { from?: number; to?: number; limit?: number } = {}): Promise<WindowResult[]> {
    let q = this.db.selectFrom('monitor_windows').selectAll().where('monitor', '=', monitor);
    if (options.from !== undefined) q = q.where('window_start', '>=', options.from);
    if (options.to !== undefined) q = q.where('window_start', '<', options.to);
    const windows = await q.orderBy('window_start', 'desc').limit(options.limit ?? 100).execute();
    if (windows.length === 0) return [];
    const starts = windows.map((w) => Number(w.window_start));
    const metrics = await this.db.selectFrom('monitor_metrics').selectAll().where('monitor', '=', monitor).where('window_start', 'in', starts).orderBy('metric').orderBy('feature').execute();
    return windows.map((w) => ({
      monitor,
      windowStart: Number(w.window_start),
      windowEnd: Number(w.window_end),
      rows: Number(w.row_count),
      evaluatedAt: Number(w.evaluated_at),
      summary: JSON.parse(w.summary),
      metrics: metrics.filter((m) => Number(m.window_start) === Number(w.window_start)).map((m) => ({ metric: m.metric, feature: m.feature, method: m.method, value: m.value })),
    }));
  }

  async series(monitor: string, metric: string, options: { feature?: string; from?: number; to?: number } = {}): Promise<SeriesPoint[]> {
    let q = this.db.selectFrom('monitor_metrics').select(['window_start', 'window_end', 'value']).where('monitor', '=', monitor).where('metric', '=', metric).where('feature', '=', options.feature ?? '');
    if (options.from !== undefined) q = q.where('window_start', '>=', options.from);
    if (options.to !== undefined) q = q.where('window_start', '<', options.to);
    const rows = await q.orderBy('window_start').execute();
    return rows.map((r) => ({ windowStart: Number(r.window_start), windowEnd: Number(r.window_end), value: r.value }));
  }

  async raiseAlert(input: RaiseAlertInput): Promise<Alert | null> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const firing = await trx.selectFrom('monitor_alerts').select('alert_id').where('monitor', '=', input.monitor).where('rule', '=', input.rule).where('status', '=', 'firing').executeTakeFirst();
        if (firing) return null;
        const row = await trx
          .insertInto('monitor_alerts')
          .values({ monitor: input.monitor, deployment: input.deployment, rule: input.rule, severity: input.severity, status: 'firing', message: input.message, value: input.value, window_start: input.windowStart, raised_at: input.at, resolved_at: null })
          .returningAll()
          .executeTakeFirstOrThrow();
        const alert = toAlert(row);
        await addEvent(trx, 'alert.raised', alert);
        return alert;
      });
    } catch (err) {
      // Another process raised the same alert at the same moment: the unique index kept it single.
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  async resolveAlert(monitor: string, rule: string, at: number): Promise<Alert | null> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('monitor_alerts')
        .set({ status: 'resolved', resolved_at: at })
        .where('monitor', '=', monitor)
        .where('rule', '=', rule)
        .where('status', '=', 'firing')
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      const alert = toAlert(row);
      await addEvent(trx, 'alert.resolved', alert);
      return alert;
    });
  }

  async listAlerts(options: { monitor?: string; status?: Alert['status']; limit?: number } = {}): Promise<Alert[]> {
    let q = this.db.selectFrom('monitor_alerts').selectAll();
    if (options.monitor !== undefined) q = q.where('monitor', '=', options.monitor);
    if (options.status !== undefined) q = q.where('status', '=', options.status);
    return (await q.orderBy('alert_id', 'desc').limit(options.limit ?? 100).execute()).map(toAlert);
  }

  async listEvents(afterId: number, limit: number): Promise<MonitoringEvent[]> {
    const rows = await this.db.selectFrom('monitoring_events').selectAll().where('event_id', '>', afterId).orderBy('event_id').limit(limit).execute();
    return rows.map((r) => ({ id: Number(r.event_id), type: r.type as MonitoringEventType, alert: JSON.parse(r.payload) as Alert, createdAt: Number(r.created_at) }));
  }
}

function toMonitor(row: Selectable<Database['monitors']>): Monitor {
  return {
    name: row.name,
    spec: JSON.parse(row.spec) as MonitorSpec,
    state: { nextWindowStart: Number(row.next_window_start), lastRunAt: row.last_run_at === null ? null : Number(row.last_run_at), lastError: row.last_error },
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const stateColumns = (s: MonitorState) => ({ next_window_start: s.nextWindowStart, last_run_at: s.lastRunAt, last_error: s.lastError });

async function writeMetrics(trx: Transaction<Database>, monitor: string, windowStart: number, windowEnd: number, all: WindowResult['metrics']): Promise<void> {
  // A figure that is not a number (NaN) has no point in a time series; SQLite would store it as NULL.
  const metrics = all.filter((m) => Number.isFinite(m.value));
  for (let i = 0; i < metrics.length; i += METRICS_PER_INSERT) {
    await trx
      .insertInto('monitor_metrics')
      .values(metrics.slice(i, i + METRICS_PER_INSERT).map((m) => ({ monitor, metric: m.metric, feature: m.feature, method: m.method, value: m.value, window_start: windowStart, window_end: windowEnd })))
      .onConflict((oc) => oc.columns(['monitor', 'metric', 'feature', 'window_start']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), method: eb.ref('excluded.method'), window_end: eb.ref('excluded.window_end') })))
      .execute();
  }
}

/**
 * The outbox row is stamped with the wall clock, not the alert's time: the webhook dispatcher
 * compares it with webhooks' creation and its gap grace in real time, and a replay's alerts carry
 * simulated times (raisedAt/resolvedAt) that would otherwise look years old.
 */
async function addEvent(trx: Transaction<Database>, type: MonitoringEventType, alert: Alert): Promise<void> {
  await trx.insertInto('monitoring_events').values({ type, alert_id: alert.id, payload: JSON.stringify(alert), created_at: Date.now() }).execute();
}
