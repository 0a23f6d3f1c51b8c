/**
 * The continuous trainer on the real embedded stores, ONNX Runtime and a live deployment, on a
 * simulated clock: a relation that shifts after serving begins, labels arriving a day late.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../services.js';
import type { Services } from '../services.js';
import { resolveConfig } from '../core/config.js';
import { gyreOver } from '../sdk/gyre.js';
import type { Gyre } from '../sdk/gyre.js';
import { tempDir } from '../test-support/test-databases.js';
import { ContinuousTrainer } from './continuous-trainer.js';
import type { RetrainingAlert, RetrainingAlertSink } from './continuous-trainer.js';
import { parseRetrainingPolicy } from './policy-validation.js';
import { monitoringAlertSink } from './monitoring-alert-sink.js';
import type { DeploymentManager } from '../serving/deployments/deployment-manager.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1);
/** Before serving: y = 3x. After day 30 the world shifts: y = 3x + 40. */
const truth = (x: number, at: number) => 3 * x + (at >= T0 + 30 * DAY ? 40 : 0) + ((x * 7) % 3) / 3;
const xAt = (i: number) => (i * 37) % 50;

describe('ContinuousTrainer', () => {
  const home = tempDir('gyre-ct-');
  let services: Services;
  let gyre: Gyre;
  let manager: DeploymentManager;
  let now = T0 + 30 * DAY;
  const clock = () => now;
  const alerts: RetrainingAlert[] = [];
  const resolved: string[] = [];
  const sink: RetrainingAlertSink = { raise: async (a) => void alerts.push(a), resolve: async (_d, rules) => void resolved.push(...rules) };
  let trainer: ContinuousTrainer;
  const policyInput = {
    deployment: 'demand',
    model: 'demand',
    target: 'y',
    trainer: { model: 'gbdt', params: { maxIter: 60 } },
    data: { dataset: 'history@1', timeColumn: 'day', hourColumn: 'hour', windowDays: 20 },
    evaluationDays: 2,
    triggers: { everyDays: 2 },
    guardRails: { coolDownHours: 12, maxPerWeek: 3 },
  };

  /** Serves one request per hour over [from, to) and delivers each label a day later. */
  async function serveHours(from: number, to: number): Promise<string[]> {
    const versions: string[] = [];
    for (let at = from; at < to; at += HOUR) {
      now = at;
      const x = xAt(at / HOUR);
      const r = await manager.predict('demand', [{ x }], { headers: {}, requestId: `r-${at}` });
      versions.push(r.modelVersion);
      const labelFor = at - DAY;
      if (labelFor >= T0 + 30 * DAY) await services.serving.inferenceLog.putLabels('demand', [{ requestId: `r-${labelFor}`, label: truth(xAt(labelFor / HOUR), labelFor), timestamp: at }]);
    }
    await services.serving.flushLog();
    return versions;
  }

  beforeAll(async () => {
    services = await openServices(resolveConfig({ home, remoteUrl: null }));
    gyre = gyreOver(services, resolveConfig({ home, remoteUrl: null }));
    // 30 days of hourly history before serving.
    const lines = ['day,hour,x,y'];
    for (let h = 0; h < 30 * 24; h++) {
      const at = T0 + h * HOUR;
      lines.push(`${new Date(at).toISOString().slice(0, 10)},${h % 24},${xAt(h)},${truth(xAt(h), at)}`);
    }
    const file = path.join(home, 'history.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    await gyre.data.add({ name: 'history', source: file, createdBy: 'test' });
    await gyre.train({ data: 'history@1', target: 'y', features: ['x'], params: { maxIter: 60 }, register: 'demand', alias: 'champion', user: 'test' });
    await services.serving.deployments.create('demand', { model: 'demand@champion' }, { user: 'test' });
    manager = services.serving.start({ pollMs: 3_600_000, clock });
    await manager.sync();
    await services.retraining.putPolicy(parseRetrainingPolicy(policyInput), now);
    trainer = new ContinuousTrainer({ gyre, inferenceLog: services.serving.inferenceLog, store: services.retraining, clock, afterPromotion: () => manager.sync(), alerts: sink });
  }, 120_000);

  afterAll(async () => {
    await services.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('skips with a reason while there are too few labelled rows in the evaluation days', async () => {
    await serveHours(T0 + 30 * DAY, T0 + 31 * DAY);
    // Production data only (no history dataset): one day served, labels a day late → nothing labelled yet.
    await services.retraining.putPolicy(parseRetrainingPolicy({ ...policyInput, data: { windowDays: 20 } }), now);
    const e = await trainer.retrain('demand', 'manual:test');
    await services.retraining.putPolicy(parseRetrainingPolicy(policyInput), now);
    expect(e).toMatchObject({ outcome: 'skipped', version: null });
    expect(e.reason).toMatch(/Not enough labelled data: 0 training rows \(need 100\) and 0 in the last 2 days \(need 24\)/);
  });

  it('after the world shifts, retrains on the window, beats the champion on the newest labelled days, and the deployment switches', async () => {
    const before = await serveHours(T0 + 31 * DAY, T0 + 34 * DAY);
    expect(new Set(before)).toEqual(new Set(['1']));
    const e = await trainer.retrain('demand', 'manual:test');
    expect(e.outcome).toBe('promoted');
    expect(e).toMatchObject({ version: 2, championVersion: 1, trigger: 'manual:test' });
    expect(e.reason).toMatch(/Version 2 beat version 1 on the last 2 days/);
    const detail = e.detail as { metrics: { rmse: number }; champion: { rmse: number }; window: { trainRows: number; evaluationRows: number } };
    expect(detail.metrics.rmse).toBeLessThan(detail.champion.rmse * 0.99);
    expect(detail.window.evaluationRows).toBeGreaterThanOrEqual(24);
    // The deployment follows the alias: the next request is answered by version 2.
    const after = await serveHours(T0 + 34 * DAY, T0 + 34 * DAY + 2 * HOUR);
    expect(after).toEqual(['2', '2']);
    const v2 = await gyre.registry.getVersion('demand', 2);
    expect(v2.tags).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'gyre.gate.passed', value: 'true' })]));
  }, 60_000);

  it('guard rails: a retraining within the cool-down is skipped, and so is one over the weekly budget', async () => {
    now += 2 * HOUR;
    const cool = await trainer.retrain('demand', 'manual:test');
    expect(cool.outcome).toBe('skipped');
    expect(cool.reason).toMatch(/Cool-down: the last retraining ran 4\.0 h ago; the policy waits 12 h/);
    await services.retraining.putPolicy(parseRetrainingPolicy({ ...policyInput, guardRails: { coolDownHours: 0, maxPerWeek: 1 } }), now);
    const budget = await trainer.retrain('demand', 'manual:test');
    expect(budget.reason).toMatch(/Budget: 1 retrainings in the last 7 days, the policy allows 1/);
    await services.retraining.putPolicy(parseRetrainingPolicy(policyInput), now);
  });

  it('a challenger that fails the gate is registered but not promoted; the champion keeps serving and an alert is raised', async () => {
    await services.retraining.putPolicy(parseRetrainingPolicy({ ...policyInput, gates: ['rmse <= champion * 0.01'] }), now);
    await serveHours(now + HOUR, now + 60 * HOUR);
    const e = await trainer.retrain('demand', 'manual:test');
    expect(e).toMatchObject({ outcome: 'rejected', version: 3, championVersion: 2 });
    expect(e.reason).toMatch(/did not pass the gate.*Version 2 keeps serving/);
    expect(alerts.at(-1)).toMatchObject({ deployment: 'demand', rule: 'retraining_gate_failed', severity: 'warning', title: expect.stringMatching(/failed its gate; version 2 keeps serving/) });
    expect((await gyre.registry.resolve('demand@champion')).version).toBe(2);
    await services.retraining.putPolicy(parseRetrainingPolicy(policyInput), now);
  }, 60_000);

  it('a retraining that fails is recorded as failed, alerts, and changes nothing', async () => {
    await services.retraining.putPolicy(parseRetrainingPolicy({ ...policyInput, data: { ...policyInput.data, dataset: 'nope@1' } }), now);
    now += 13 * HOUR;
    const e = await trainer.retrain('demand', 'manual:test');
    expect(e.outcome).toBe('failed');
    expect(e.reason).toMatch(/Retraining failed: .*nope/);
    expect(alerts.at(-1)).toMatchObject({ rule: 'retraining_failed', severity: 'critical' });
    expect((await gyre.registry.resolve('demand@champion')).version).toBe(2);
    await services.retraining.putPolicy(parseRetrainingPolicy(policyInput), now);
  });

  it('schedules: every N days from when the policy was set; a restarted trainer resumes the schedule without repeating it', async () => {
    now += 13 * HOUR;
    await services.retraining.putPolicy(parseRetrainingPolicy(policyInput), now);
    expect(await trainer.tick()).toEqual([]);
    now += 2 * DAY;
    const first = await trainer.tick();
    expect(first.map((e) => e.trigger)).toEqual(['schedule']);
    now += DAY;
    expect(await trainer.tick()).toEqual([]);
    const restarted = new ContinuousTrainer({ gyre, inferenceLog: services.serving.inferenceLog, store: services.retraining, clock });
    expect(await restarted.tick()).toEqual([]);
    now += DAY;
    expect((await restarted.tick()).map((e) => e.trigger)).toEqual(['schedule']);
  }, 60_000);

  it('canary rollout: a weak challenger is rolled back on production labels; a strong one is promoted and the deployment follows the alias again', async () => {
    const canaryTrainer = new ContinuousTrainer({ gyre, inferenceLog: services.serving.inferenceLog, store: services.retraining, deployments: services.serving.deployments, clock, afterPromotion: () => manager.sync(), alerts: sink });
    // No schedule here: retrainings are started by hand, ticks only settle canaries.
    const canaryPolicy = { ...policyInput, triggers: { onAlerts: true }, gates: ['rmse <= champion * 100'], rollout: { strategy: 'canary', percent: 50, observeHours: 48 }, guardRails: { coolDownHours: 0, maxPerWeek: 100 } };
    /** Serves `hours` hours, ticking every 6 hours; returns the decisions taken. */
    const run = async (hours: number) => {
      const decided = [];
      for (let h = 0; h < hours; h += 6) {
        await serveHours(now + HOUR, now + 7 * HOUR);
        decided.push(...(await canaryTrainer.tick()).filter((e) => e.trigger === 'canary-check'));
      }
      return decided;
    };
    await serveHours(now + HOUR, now + 50 * HOUR); // the schedule test left the clock days past the last request
    // A nearly constant model (one boosting step) passes the lenient gate, then loses on real traffic.
    await services.retraining.putPolicy(parseRetrainingPolicy({ ...canaryPolicy, trainer: { model: 'gbdt', params: { maxIter: 1, learningRate: 0.01 } } }), now);
    const weak = await canaryTrainer.retrain('demand', 'manual:test');
    expect(weak.outcome).toBe('canary');
    expect((await services.serving.deployments.get('demand')).spec).toMatchObject({ strategy: 'canary', variants: [{ model: 'demand@champion', weight: 50 }, { model: `demand/${weak.version}`, weight: 50 }] });
    expect((await canaryTrainer.retrain('demand', 'manual:test')).reason).toMatch(/under observation as a canary/);
    const [rolledBack] = await run(120);
    expect(rolledBack).toMatchObject({ outcome: 'rolled-back', version: weak.version, championVersion: 2 });
    expect(rolledBack!.reason).toMatch(/was worse than version 2 on production labels \(rmse/);
    expect(alerts.at(-1)!.title).toMatch(/rolled back/);
    expect((await services.serving.deployments.get('demand')).spec).toMatchObject({ strategy: 'single', variants: [{ model: 'demand@champion' }] });
    expect((await gyre.registry.resolve('demand@champion')).version).toBe(2);

    // Make the weak version the champion, so a properly trained canary clearly wins.
    await gyre.registry.setAlias('demand', 'champion', weak.version!, { user: 'test', reason: 'set up a weak champion' });
    await manager.sync();
    await services.retraining.putPolicy(parseRetrainingPolicy(canaryPolicy), now);
    const strong = await canaryTrainer.retrain('demand', 'manual:test');
    expect(strong).toMatchObject({ outcome: 'canary', championVersion: weak.version });
    const [promoted] = await run(120);
    expect(promoted).toMatchObject({ outcome: 'promoted', version: strong.version });
    expect(resolved).toEqual(expect.arrayContaining(['retraining_gate_failed', 'retraining_failed', 'canary_rolled_back']));
    expect((await gyre.registry.resolve('demand@champion')).version).toBe(strong.version);
    expect((await services.serving.deployments.get('demand')).spec).toMatchObject({ strategy: 'single', variants: [{ model: 'demand@champion' }] });
    expect(await serveHours(now + HOUR, now + 3 * HOUR)).toEqual([String(strong.version), String(strong.version)]);
    const actions = (await services.serving.deployments.history('demand', 10)).map((c) => c.action);
    expect(actions.slice(0, 2)).toEqual(['canary-finish', 'canary']);
  }, 120_000);

  it('retraining alerts go through monitoring: stored under retraining:<deployment>, deduplicated, delivered to listeners, resolved', async () => {
    const sinkOverMonitoring = monitoringAlertSink(services.monitoring);
    const seen: string[] = [];
    const off = services.monitoring.onAlert((e) => void seen.push(`${e.type} ${e.alert.monitor} ${e.alert.rule}`));
    const alert = { deployment: 'demand', rule: 'retraining_gate_failed', severity: 'warning' as const, title: 'challenger failed its gate', detail: {} };
    await sinkOverMonitoring.raise(alert, now);
    await sinkOverMonitoring.raise(alert, now + 1);
    const firing = await services.monitoring.listAlerts({ monitor: 'retraining:demand', status: 'firing' });
    expect(firing).toHaveLength(1);
    expect(firing[0]).toMatchObject({ deployment: 'demand', rule: 'retraining_gate_failed', severity: 'warning', message: 'challenger failed its gate', raisedAt: now });
    await sinkOverMonitoring.resolve('demand', ['retraining_gate_failed', 'retraining_failed'], now + 2);
    expect(await services.monitoring.listAlerts({ monitor: 'retraining:demand', status: 'firing' })).toHaveLength(0);
    expect(seen).toEqual(['alert.raised retraining:demand retraining_gate_failed', 'alert.resolved retraining:demand retraining_gate_failed']);
    off();
  });

  it('history is kept newest first with every decision', async () => {
    const events = await services.retraining.events('demand', 100);
    expect(events.map((e) => e.outcome)).toEqual(expect.arrayContaining(['skipped', 'promoted', 'rejected', 'failed']));
    expect(events[0]!.at).toBeGreaterThanOrEqual(events.at(-1)!.at);
  });
});

describe('retraining policy validation', () => {
  const ok = { deployment: 'd', model: 'm', target: 'y', data: { windowDays: 30 }, triggers: { everyDays: 7 } };
  it('fills defaults', () => {
    expect(parseRetrainingPolicy(ok)).toMatchObject({ alias: 'champion', evaluationDays: 7, trainer: { model: 'gbdt' }, rollout: 'promote', guardRails: { coolDownHours: 24, maxPerWeek: 7 }, data: { includeInferenceLog: true } });
  });
  it('names the field and what it accepts', () => {
    expect(() => parseRetrainingPolicy({ ...ok, data: { windowDays: 0 } })).toThrow(/data.windowDays must be a number in \[1, 3650\]/);
    expect(() => parseRetrainingPolicy({ ...ok, triggers: {} })).toThrow(/triggers must be at least one trigger/);
    expect(() => parseRetrainingPolicy({ ...ok, evaluationDays: 30 })).toThrow(/evaluationDays must be smaller than data.windowDays/);
    expect(() => parseRetrainingPolicy({ ...ok, data: { windowDays: 30, dataset: 'h@1' } })).toThrow(/data.timeColumn must be set when data.dataset is/);
    expect(() => parseRetrainingPolicy({ ...ok, gates: ['rmse is low'] })).toThrow(/Gate rule 'rmse is low'/);
    expect(() => parseRetrainingPolicy({ ...ok, trainer: { model: 'gbdt', params: { learningRat: 1 } } })).toThrow(/learningRat/);
    expect(() => parseRetrainingPolicy({ ...ok, windowdays: 3 })).toThrow(/windowdays' is not/);
    expect(() => parseRetrainingPolicy({ ...ok, rollout: 'canary' })).toThrow(/rollout must be 'promote' or \{ strategy: canary/);
    expect(() => parseRetrainingPolicy({ ...ok, rollout: { strategy: 'canary', percent: 100 } })).toThrow(/rollout.percent must be a number in \[1, 99\]/);
    expect(parseRetrainingPolicy({ ...ok, rollout: { strategy: 'canary' } }).rollout).toEqual({ strategy: 'canary', percent: 10, observeHours: 24 });
    expect(() => parseRetrainingPolicy(ok, 'other')).toThrow(/deployment must be 'other'/);
  });
});
