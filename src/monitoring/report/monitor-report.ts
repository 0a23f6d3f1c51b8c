/**
 * `gyre monitor report`: one self-contained HTML page (inline CSS and SVG, no scripts) a person can
 * open in a browser — alerts, per-feature distributions of the reference against the latest window
 * with traffic, drift scores over time, data quality and performance over time.
 */
import type { MonitoringService } from '../monitoring-service.js';
import type { ColumnProfile } from '../profiles/entities.js';
import type { WindowResult } from '../monitors/entities.js';
import { PREDICTION_COLUMN } from '../monitors/evaluate-window.js';
import { distributionChart, escapeHtml, lineChart } from './svg-charts.js';
import type { Series } from './svg-charts.js';

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111}h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}
figure{display:inline-block;margin:8px 12px 8px 0;vertical-align:top}figcaption{font-weight:600;margin-bottom:2px}.tick{font-size:10px;fill:#555}.legend{font-size:11px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}.firing{color:#b91c1c;font-weight:600}.empty{color:#777}`;

export async function monitorReport(monitoring: MonitoringService, name: string, options: { limit?: number } = {}): Promise<string> {
  const monitor = await monitoring.get(name);
  const stored = await monitoring.profiles.get(monitor.spec.profile);
  const windows = (await monitoring.results(name, { limit: options.limit ?? 500 })).reverse();
  const alerts = await monitoring.listAlerts({ monitor: name, limit: 50 });
  const latest = [...windows].reverse().find((w) => w.rows > 0) ?? null;
  const rows = latest ? await monitoring.windowRows(name, latest.windowStart, latest.windowEnd) : null;
  const series = (metric: string, feature = ''): Series['points'] => windows.flatMap((w) => w.metrics.filter((m) => m.metric === metric && m.feature === feature).map((m) => ({ x: w.windowStart, y: m.value })));
  const features = stored.profile.columns.filter((c) => c.name !== PREDICTION_COLUMN);

  const parts: string[] = [];
  parts.push(`<h1>Monitor ${escapeHtml(name)}</h1><p>Deployment <b>${escapeHtml(monitor.spec.deployment)}</b> · reference <b>${escapeHtml(stored.name)}</b> (${escapeHtml(stored.source)}, ${stored.rowCount} rows) · window ${escapeHtml(windowText(monitor.spec.window))} · ${windows.length} windows shown · generated ${new Date().toISOString()}</p>`);
  if (monitor.state.lastError) parts.push(`<p class="firing">Last run failed: ${escapeHtml(monitor.state.lastError)}</p>`);

  parts.push('<h2>Alerts</h2>');
  parts.push(
    alerts.length === 0
      ? '<p class="empty">none</p>'
      : `<table><tr><th>status</th><th>severity</th><th>rule</th><th>message</th><th>raised</th><th>resolved</th></tr>${alerts
          .map((a) => `<tr><td class="${a.status}">${a.status}</td><td>${a.severity}</td><td>${escapeHtml(a.rule)}</td><td>${escapeHtml(a.message)}</td><td>${iso(a.raisedAt)}</td><td>${a.resolvedAt ? iso(a.resolvedAt) : ''}</td></tr>`)
          .join('')}</table>`,
  );

  parts.push(`<h2>Distributions: reference vs latest window${latest ? ` (${iso(latest.windowStart)} – ${iso(latest.windowEnd)}, ${latest.rows} rows)` : ''}</h2>`);
  for (const col of stored.profile.columns) {
    const current = col.name === PREDICTION_COLUMN ? rows?.predictions : rows?.features[col.name];
    parts.push(distribution(col, current ?? []));
  }

  parts.push('<h2>Drift over time</h2>');
  parts.push(lineChart('Share of drifted features', [{ name: 'dataset_drift_share', points: series('dataset_drift_share') }], monitor.spec.shareThreshold ?? 0.5));
  for (const f of features) {
    const method = lastMethod(windows, f.name);
    parts.push(lineChart(`Drift score: ${f.name}${method ? ` (${method})` : ''}`, [{ name: f.name, points: series('drift_score', f.name) }], monitor.spec.perColumn?.[f.name]?.threshold ?? (method && ['ks', 'chisquare', 'z'].includes(method) ? 0.05 : 0.1)));
  }
  if (series('prediction_drift_score').length) parts.push(lineChart('Prediction drift score', [{ name: 'prediction', points: series('prediction_drift_score') }]));

  parts.push('<h2>Data quality over time</h2>');
  parts.push(lineChart('Missing share', features.map((f) => ({ name: f.name, points: series('missing_share', f.name) })).filter((s) => s.points.some((p) => p.y > 0))));
  parts.push(lineChart('Type error share', features.map((f) => ({ name: f.name, points: series('type_error_share', f.name) })).filter((s) => s.points.some((p) => p.y > 0))));
  parts.push(lineChart('Rows per window', [{ name: 'rows', points: series('rows') }]));

  parts.push('<h2>Performance over time (labelled rows)</h2>');
  for (const metric of ['rmse', 'mae', 'accuracy', 'auc']) {
    const points = series(metric);
    if (points.length) parts.push(lineChart(metric, [{ name: metric, points }]));
  }
  if (!['rmse', 'mae', 'accuracy', 'auc'].some((m) => series(m).length)) parts.push('<p class="empty">no labels have arrived yet</p>');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gyre monitor ${escapeHtml(name)}</title><style>${CSS}</style></head><body>${parts.join('\n')}</body></html>\n`;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const windowText = (w: { kind: 'time'; ms: number } | { kind: 'count'; rows: number }) => (w.kind === 'time' ? `${w.ms / 60_000} min` : `${w.rows} records`);

function lastMethod(windows: WindowResult[], feature: string): string | null {
  for (let i = windows.length - 1; i >= 0; i--) {
    const m = windows[i]!.metrics.find((p) => p.metric === 'drift_score' && p.feature === feature);
    if (m) return m.method;
  }
  return null;
}

/** Reference shares from the profile; current shares of the same bins (numeric) or categories. */
function distribution(col: ColumnProfile, current: readonly unknown[]): string {
  const title = col.name === PREDICTION_COLUMN ? 'prediction' : col.name;
  if (col.kind === 'categorical') {
    const counts = new Map<string, number>();
    let n = 0;
    for (const v of current) if (v !== null && v !== undefined) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1), n++;
    const labels = [...new Set([...col.categories.map(String), ...counts.keys()])].slice(0, 40);
    const refTotal = col.count || 1;
    const byCat = new Map(col.categories.map((c, i) => [String(c), col.counts[i]!]));
    return distributionChart(title, labels, labels.map((l) => (byCat.get(l) ?? 0) / refTotal), labels.map((l) => (counts.get(l) ?? 0) / (n || 1)));
  }
  const { edges, counts } = col.plot;
  if (edges.length === 0) return distributionChart(title, [], [], []);
  const cur = new Array<number>(counts.length).fill(0);
  let n = 0;
  const lo = edges[0]!;
  const width = (edges[edges.length - 1]! - lo) / counts.length || 1;
  for (const v of current) {
    if (typeof v !== 'number' || Number.isNaN(v)) continue;
    n++;
    // Values outside the reference range land in the end bins, so a shift stays visible.
    cur[Math.max(0, Math.min(counts.length - 1, Math.floor((v - lo) / width)))]!++;
  }
  const labels = counts.map((_, i) => Number(edges[i]!.toPrecision(3)).toString());
  return distributionChart(`${title} (values outside the reference range in the end bins)`, labels, counts.map((c) => c / (col.count || 1)), cur.map((c) => c / (n || 1)));
}
