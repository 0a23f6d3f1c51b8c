/**
 * Monitors on a simulated clock, over a real SQLite store, a real registered ONNX package (its
 * manifest gives the features, types, categories and the rmse baseline) and the real inference
 * log: hour windows in the records' timestamps, labels arriving two simulated hours late, drift
 * and a data-quality fault injected and cleared, alerts raised once and resolved, delivered to
 * in-process listeners and the `monitoring` webhook event source, exported as gauges.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';
import { linearModel } from '../../src/test-support/tiny-onnx.js';
import type { InferenceRecord } from '../../src/serving/inference-log/entities.js';
import type { AlertEvent } from '../../src/monitoring/alerts/alert-notifier.js';
import { fitProfile } from '../../src/monitoring/profiles/fit-profile.js';

const alice = { user: 'alice' };
const HOUR = 3_600_000;
const T0 = Date.UTC(2012, 0, 1);
const manifest = {
  task: 'regression',
  inputs: [
    { name: 'temp', type: 'number', tensor: 'x', column: 0 },
    { name: 'hum', type: 'number', tensor: 'x', column: 1 },
    { name: 'wind', type: 'number', tensor: 'x', column: 2 },
  ],
  inputExample: [{ temp: 1, hum: 0, wind: 0 }],
  metrics: { rmse: 1 },
};

// Deterministic "weather": temp cycles through 40 values, hum and wind through others.
const row = (i: number, shift = 0) => ({ temp: ((i * 7) % 40) / 2 + shift, hum: ((i * 3) % 25) / 25, wind: ((i * 11) % 30) / 10 + shift / 4 });
let seq = 0;
function hour(h: number, opts: { shift?: number; labelError?: number; mutate?: (r: Record<string, unknown>, i: number) => void; version?: string; deployment?: string } = {}): { records: InferenceRecord[]; labels: { requestId: string; label: number }[] } {
  const records: InferenceRecord[] = [];
  const labels: { requestId: string; label: number }[] = [];
  for (let i = 0; i < 120; i++) {
    const input: Record<string, unknown> = row(i, opts.shift ?? 0);
    opts.mutate?.(input, i);
    const y = typeof input.temp === 'number' ? input.temp : 0;
    const requestId = `r-${++seq}`;
    records.push({ deployment: opts.deployment ?? 'bikes', requestId, timestamp: T0 + h * HOUR + i * 1000, modelName: 'bikes', modelVersion: opts.version ?? '1', variant: 'primary', inputs: [input], outputs: [{ y }], latencyMs: 1 });
    labels.push({ requestId, label: y + (i % 2 ? 1 : -1) * (opts.labelError ?? 0.5) });
  }
  return { records, labels };
}

describe('monitors on a simulated clock (SQLite, registered ONNX package, inference log)', () => {
  let server: TestServer;
  const events: AlertEvent[] = [];
  const pendingLabels: { due: number; labels: { requestId: string; label: number }[] }[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const { models, serving, monitoring } = server.services;
    await models.register({ name: 'bikes', onnx: linearModel([1, 0, 0], 0), manifest, alias: 'champion' }, alice);
    await serving.deployments.create('bikes', { model: 'bikes@champion' }, alice);
    // The reference: a CSV of 2,400 rows of normal weather, fitted once into a stored profile (through DuckDB).
    const csv = path.join(server.home, 'reference.csv');
    fs.writeFileSync(csv, `temp,hum,wind\n${Array.from({ length: 2400 }, (_, i) => Object.values(row(i)).join(',')).join('\n')}\n`);
    await monitoring.profiles.fromDataset('bikes-2011', csv);
    monitoring.onAlert((e) => void events.push(e));
  });
  afterAll(() => server.close());

  async function replay(h: number, data: ReturnType<typeof hour> | null) {
    const { serving, monitoring } = server.services;
    if (data) {
      await serving.inferenceLog.append(data.records);
      pendingLabels.push({ due: T0 + (h + 2) * HOUR, labels: data.labels });
    }
    const now = T0 + (h + 1) * HOUR;
    for (const p of pendingLabels.filter((x) => x.due <= now)) await serving.inferenceLog.putLabels('bikes', p.labels);
    pendingLabels.splice(0, pendingLabels.length, ...pendingLabels.filter((x) => x.due > now));
    return monitoring.runDue(now);
  }

  it('refuses a malformed monitor, naming the field, and stores nothing', async () => {
    const { monitoring } = server.services;
    const base = { deployment: 'bikes', profile: 'bikes-2011', window: { kind: 'time' as const, ms: HOUR }, rules: [] };
    await expect(monitoring.create('m', { ...base, window: { kind: 'time', ms: -5 } })).rejects.toThrow(/"window" is/);
    await expect(monitoring.create('m', { ...base, deployment: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(monitoring.create('m', { ...base, profile: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(monitoring.create('m', { ...base, rules: [{ kind: 'threshold', metric: 'missing_share', op: '!', value: 1 } as never] })).rejects.toThrow(/rules\[0\]: a threshold rule is/);
    await expect(monitoring.create('m', { ...base, columns: ['pressure'] })).rejects.toThrow(/Columns pressure are not in profile/);
    expect(await monitoring.list()).toEqual([]);
  });

  it('replays hour by hour: drift and a missing-value fault raise alerts once and resolve when they clear; late labels raise a performance alert', async () => {
    const { monitoring } = server.services;
    await monitoring.create('bikes-hourly', {
      deployment: 'bikes',
      profile: 'bikes-2011',
      window: { kind: 'time', ms: HOUR },
      startAt: T0,
      labelDelayMs: 2 * HOUR,
      rules: [
        { kind: 'dataset_drift' },
        { kind: 'threshold', metric: 'missing_share', feature: 'temp', op: '>', value: 0.05, severity: 'critical' },
        { kind: 'performance', metric: 'rmse', worseBy: 0.2 },
      ],
    });
    const plan: (ReturnType<typeof hour> | null)[] = [
      hour(0),
      hour(1),
      hour(2, { shift: 8 }), // drift
      hour(3, { shift: 8, mutate: (r, i) => i % 5 === 0 && (r.temp = null) }), // drift + 20% missing temp
      hour(4, { labelError: 3 }), // drift over, the model now wrong by 3 (labels seen at hour 6)
      null, // no traffic
      hour(6),
      hour(7),
      hour(8),
    ];
    for (let h = 0; h < plan.length; h++) await replay(h, plan[h]!);

    const kinds = events.map((e) => `${e.type} ${e.alert.rule} @${(e.alert.status === 'firing' ? e.alert.raisedAt : e.alert.resolvedAt!) / HOUR - T0 / HOUR}`);
    expect(kinds).toEqual([
      'alert.raised dataset_drift @3',
      'alert.raised threshold:missing_share:temp>0.05 @4',
      'alert.resolved dataset_drift @5',
      'alert.resolved threshold:missing_share:temp>0.05 @5',
      'alert.raised performance:rmse @7',
      'alert.resolved performance:rmse @9',
    ]);
    const rmse = await monitoring.series('bikes-hourly', 'rmse');
    expect(rmse.map((p) => [(p.windowStart - T0) / HOUR, Number(p.value.toFixed(3))])).toEqual([[0, 0.5], [1, 0.5], [2, 0.5], [3, 0.5], [4, 3], [6, 0.5]]); // window 5 had no traffic
    const drift = await monitoring.series('bikes-hourly', 'dataset_drift');
    expect(drift.map((p) => p.value)).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const windows = await monitoring.results('bikes-hourly');
    expect(windows).toHaveLength(9);
    expect(windows.find((w) => w.windowStart === T0 + 5 * HOUR)).toMatchObject({ rows: 0, metrics: [{ metric: 'rows', value: 0 }] });
    const missing = await monitoring.series('bikes-hourly', 'missing_share', { feature: 'temp' });
    expect(missing.map((p) => p.value)).toEqual([0, 0, 0, 0.2, 0, 0, 0, 0]);
    expect((await monitoring.get('bikes-hourly')).state).toMatchObject({ nextWindowStart: T0 + 9 * HOUR, lastError: null });
    // Nothing is due until the next hour closes.
    expect(await monitoring.runDue(T0 + 9 * HOUR + 1)).toEqual([]);
  });

  it('delivers alert events through the monitoring event source and exports gauges with bounded labels', async () => {
    const source = server.services.eventSources.monitoring!;
    expect(source.eventTypes).toEqual(['alert.raised', 'alert.resolved']);
    const listed = await source.listEvents(0, 100);
    expect(listed.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(listed[0]!.payload).toMatchObject({ monitor: 'bikes-hourly', deployment: 'bikes', rule: 'dataset_drift', severity: 'warning' });
    const metrics = await server.services.metrics.metrics();
    expect(metrics).toMatch(/gyre_feature_drift_score\{deployment="bikes",feature="temp",method="wasserstein"\} [\d.e-]+/);
    expect(metrics).toMatch(/gyre_feature_quality_share\{deployment="bikes",feature="temp",check="missing"\} 0/);
    expect(metrics).toMatch(/gyre_model_performance\{deployment="bikes",metric="rmse"\} 0\.5/);
    expect(metrics).toMatch(/gyre_monitor_alerts_firing\{deployment="bikes",severity="critical"\} 0/);
    // A webhook can subscribe to the new types.
    await expect(server.services.webhooks.create({ name: 'pager', url: 'http://127.0.0.1:9/hook', events: ['alert.*'] })).resolves.toMatchObject({ events: ['alert.*'] });
  });

  it('measures bad input without crashing: type errors, unseen shapes, a column missing from the window, labels for unknown ids', async () => {
    const { monitoring, serving } = server.services;
    await monitoring.create('bikes-quality', { deployment: 'bikes', profile: 'bikes-2011', window: { kind: 'count', rows: 100 }, startAt: T0 + 20 * HOUR, rules: [{ kind: 'threshold', metric: 'type_error_share', feature: 'hum', op: '>', value: 0 }] });
    const bad = hour(20, { mutate: (r, i) => { delete r.wind; if (i % 4 === 0) r.hum = 'wet'; } });
    bad.records[1]!.inputs = 'not records';
    await serving.inferenceLog.append(bad.records);
    expect(await serving.inferenceLog.putLabels('bikes', [{ requestId: 'never-served', label: 3 }])).toBe(1);
    const [report] = (await monitoring.runDue(T0 + 21 * HOUR)).filter((r) => r.monitor === 'bikes-quality');
    expect(report).toEqual({ monitor: 'bikes-quality', windows: 1, error: null });
    const [w] = await monitoring.results('bikes-quality');
    const m = (metric: string, feature = '') => w!.metrics.find((p) => p.metric === metric && p.feature === feature)?.value;
    expect(w!.rows).toBe(99); // 100 records, one unreadable
    expect(m('unreadable_records')).toBe(1);
    expect(m('missing_share', 'wind')).toBe(1);
    expect(m('type_error_share', 'hum')).toBeCloseTo(25 / 99, 10);
    expect(w!.summary.skippedColumns).toEqual([{ column: 'wind', reason: 'no_values_in_current' }]);
    expect(m('drift_score', 'hum')).toBeTypeOf('number');
    // A reference that profiled 'temp' as text cannot be compared with numbers: skipped, said why.
    await monitoring.profiles.save('temp-as-text', fitProfile({ source: 'mem', kinds: { temp: 'categorical', hum: 'numeric' }, columns: { temp: ['1', '2', '3'], hum: [0.1, 0.5, 0.9] } }));
    await monitoring.create('bikes-mistyped', { deployment: 'bikes', profile: 'temp-as-text', window: { kind: 'count', rows: 100 }, startAt: T0 + 20 * HOUR, rules: [] });
    await monitoring.run('bikes-mistyped', T0 + 21 * HOUR);
    const [mistyped] = await monitoring.results('bikes-mistyped');
    expect(mistyped!.summary.skippedColumns).toEqual([{ column: 'temp', reason: 'type_mismatch' }, { column: 'wind', reason: 'no_values_in_reference' }]);
    expect((await monitoring.listAlerts({ monitor: 'bikes-quality', status: 'firing' })).map((a) => a.rule)).toEqual(['threshold:type_error_share:hum>0']);
  });

  it('a failing monitor raises its own alert, leaves the others running, and resolves once it recovers', async () => {
    const { monitoring, serving, models } = server.services;
    await serving.deployments.create('bikes-b', { model: 'bikes@champion' }, alice);
    await monitoring.create('bikes-v2', { deployment: 'bikes-b', profile: 'bikes-2011', window: { kind: 'time', ms: HOUR }, startAt: T0 + 30 * HOUR, rules: [] });
    // Records of a version the registry does not have yet: its manifest cannot be read.
    await serving.inferenceLog.append(hour(30, { version: '2', deployment: 'bikes-b' }).records);
    const reports = await monitoring.runDue(T0 + 31 * HOUR);
    expect(reports.find((r) => r.monitor === 'bikes-v2')!.error).toMatch(/version 2|not found|does not exist/i);
    expect(reports.find((r) => r.monitor === 'bikes-hourly')!.error).toBeNull();
    expect((await monitoring.get('bikes-v2')).state).toMatchObject({ nextWindowStart: T0 + 30 * HOUR });
    expect((await monitoring.listAlerts({ monitor: 'bikes-v2' }))[0]).toMatchObject({ rule: 'monitor_failed', severity: 'critical', status: 'firing' });
    await models.register({ name: 'bikes', onnx: linearModel([1, 0, 0], 0), manifest }, alice);
    const retry = await monitoring.runDue(T0 + 32 * HOUR + 1);
    expect(retry.find((r) => r.monitor === 'bikes-v2')).toEqual({ monitor: 'bikes-v2', windows: 2, error: null });
    expect((await monitoring.listAlerts({ monitor: 'bikes-v2' }))[0]).toMatchObject({ rule: 'monitor_failed', status: 'resolved' });
  });

  it('deleting a monitor removes its results and resolves its firing alerts, which listeners hear', async () => {
    const { monitoring } = server.services;
    const before = events.length;
    await monitoring.delete('bikes-quality');
    expect(events.slice(before).map((e) => [e.type, e.alert.rule])).toEqual([['alert.resolved', 'threshold:type_error_share:hum>0']]);
    expect(await monitoring.results('bikes-quality')).toEqual([]);
    await expect(monitoring.get('bikes-quality')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
