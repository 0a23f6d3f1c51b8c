/**
 * `gyre monitor profile|create|list|run|results|alerts|report` as a user runs them, on a home whose
 * deployment and inference log were written by the real services (the log holds a simulated day).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gyreBin } from '../support/server-process.js';
import { tempDir } from '../../src/test-support/test-databases.js';
import { openServices } from '../../src/services.js';
import { mixed } from '../../src/models/test-models.js';

const home = tempDir('gyre-cli-monitors-');
const gyre = (...args: string[]) => spawnSync(process.execPath, [gyreBin, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, GYRE_URL: '' } });
const HOUR = 3_600_000;
const T0 = Date.UTC(2012, 6, 1);

describe('gyre monitor (monitors, alerts, report)', () => {
  beforeAll(async () => {
    const services = await openServices({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
    try {
      const manifest = { task: 'regression', inputs: [{ name: 'city', type: 'string', tensor: 'city', categories: ['Berlin', 'Paris', 'Rome'] }, { name: 'temp', type: 'number', tensor: 'temp' }], inputExample: [{ temp: 1, city: 'Rome' }], metrics: { rmse: 1 } };
      await services.models.register({ name: 'bikes', onnx: mixed(), manifest, alias: 'champion' }, { user: 'a' });
      await services.serving.deployments.create('bikes', { model: 'bikes@champion' }, { user: 'a' });
      const records = Array.from({ length: 400 }, (_, i) => {
        const h = Math.floor(i / 100);
        const temp = ((i * 13) % 50) / 2 + (h >= 2 ? 20 : 0);
        return { deployment: 'bikes', requestId: `q${i}`, timestamp: T0 + h * HOUR + i, modelName: 'bikes', modelVersion: '1', variant: 'primary' as const, inputs: [{ temp, city: h === 3 && i % 2 ? 'Oslo' : 'Paris' }], outputs: [{ y: temp }], latencyMs: 1 };
      });
      await services.serving.inferenceLog.append(records);
      await services.serving.inferenceLog.putLabels('bikes', records.map((r) => ({ requestId: r.requestId, label: (r.outputs[0]!.y as number) + 0.5 })));
    } finally {
      await services.close();
    }
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('fits a profile, creates a monitor with text rules, runs it on a given clock, and shows results and alerts', () => {
    const ref = path.join(home, 'ref.csv');
    fs.writeFileSync(ref, `temp,city,cnt\n${Array.from({ length: 300 }, (_, i) => `${((i * 13) % 50) / 2},Paris,${((i * 13) % 50) / 2}`).join('\n')}\n`);
    const p = gyre('monitor', 'profile', 'summer-ref', '--dataset', ref, '--prediction-column', 'cnt');
    expect(p.stderr).toBe('');
    expect(p.stdout).toMatch(/temp\s+numeric\s+300\s+0\s+exact/);
    const c = gyre('monitor', 'create', 'bikes-h', '--deployment', 'bikes', '--profile', 'summer-ref', '--window', '1h', '--start', new Date(T0).toISOString(), '--rule', 'drift(temp) [critical]', '--rule', 'unseen_category_share(city) > 0.1', '--rule', 'rmse worse than baseline by 20%');
    expect(c.stdout).toMatch(/monitor bikes-h watches bikes: 3 rules/);
    expect(gyre('monitor', 'list').stdout).toMatch(/bikes-h\s+bikes\s+60 min\s+3/);
    const run = gyre('monitor', 'run', 'bikes-h', '--now', String(T0 + 4 * HOUR), '--json');
    expect(JSON.parse(run.stdout)).toEqual([{ monitor: 'bikes-h', windows: 4, error: null }]);
    const series = JSON.parse(gyre('monitor', 'results', 'bikes-h', '--metric', 'drift_detected', '--feature', 'temp', '--json').stdout);
    expect(series.map((s: { value: number }) => s.value)).toEqual([0, 0, 1, 1]);
    expect(gyre('monitor', 'results', 'bikes-h').stdout).toMatch(/100\s+temp\s+/);
    const alerts = gyre('monitor', 'alerts', '--status', 'firing');
    expect(alerts.stdout).toMatch(/firing\s+critical\s+bikes-h\s+feature_drift:temp/);
    expect(alerts.stdout).toMatch(/firing\s+warning\s+bikes-h\s+threshold:unseen_category_share:city>0.1/);
    expect(alerts.stdout).not.toMatch(/performance:rmse/);
  });

  it('scores a file against a stored profile with gyre monitor drift --profile (the reference is not read again)', () => {
    const hot = path.join(home, 'hot.csv');
    fs.writeFileSync(hot, `temp,city\n${Array.from({ length: 200 }, (_, i) => `${((i * 13) % 50) / 2 + 20},Paris`).join('\n')}\n`);
    const r = gyre('monitor', 'drift', '--profile', 'summer-ref', '--current', hot, '--json');
    const report = JSON.parse(r.stdout);
    expect(report.columns.map((c: { column: string; method: string; drifted: boolean }) => [c.column, c.method, c.drifted])).toEqual([['temp', 'ks', true], ['city', 'z', false]]);
    expect(report.skipped).toEqual([{ column: '__prediction__', reason: 'missing_from_current' }]);
    const text = gyre('monitor', 'drift', '--profile', 'summer-ref', '--current', hot);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/not tested: __prediction__ \(missing from current\)/);
    expect(gyre('monitor', 'drift', '--profile', 'summer-ref', '--reference', hot, '--current', hot).stderr).toMatch(/one of the two/);
  });

  it('writes a self-contained HTML report', () => {
    const out = path.join(home, 'report.html');
    expect(gyre('monitor', 'report', 'bikes-h', '--out', out).stdout).toMatch(/wrote/);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/feature_drift:temp/);
    expect(html).not.toMatch(/<script|src="http/);
  });

  it('refuses bad input with a clear message and changes nothing', () => {
    const bad = gyre('monitor', 'create', 'x', '--deployment', 'bikes', '--profile', 'summer-ref', '--rule', 'temp is weird');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/error \(INVALID_ARGUMENT\): Rule 'temp is weird' is not understood/);
    expect(gyre('monitor', 'run', 'nope').stderr).toMatch(/Monitor 'nope' does not exist/);
    expect(gyre('monitor', 'create', 'x', '--deployment', 'bikes', '--profile', 'summer-ref', '--window', 'weekly').stderr).toMatch(/--window 'weekly' is not a duration/);
    expect(gyre('monitor', 'list', '--json').stdout).not.toMatch(/"name": "x"/);
  });
});
