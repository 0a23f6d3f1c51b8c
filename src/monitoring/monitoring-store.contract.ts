/** What every MonitoringStore backend must do. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringStore } from './monitoring-store.js';
import type { MonitorSpec } from './monitors/entities.js';
import type { StoredProfile } from './profiles/entities.js';
import type { StoreFixture } from '../test-support/sql-contract.js';

const T0 = Date.UTC(2012, 0, 1);
const HOUR = 3_600_000;
const spec: MonitorSpec = { deployment: 'bikes', profile: 'bikes-2011', window: { kind: 'time', ms: HOUR }, rules: [{ kind: 'dataset_drift' }] };
const profile: StoredProfile = {
  id: 'p-1',
  name: 'bikes-2011',
  source: 'bikes@1',
  rowCount: 3,
  createdAt: T0,
  profile: { formatVersion: 1, source: 'bikes@1', rowCount: 3, columns: [{ name: 'season', kind: 'categorical', count: 3, missing: 0, categories: ['a', 'b'], counts: [2, 1] }] },
};
const alert = (rule: string, at: number) => ({ monitor: 'm', deployment: 'bikes', rule, severity: 'warning' as const, message: `${rule} fired`, value: 0.7, windowStart: at - HOUR, at });

export function monitoringStoreContract(name: string, make: () => Promise<StoreFixture<MonitoringStore>>): void {
  describe(`MonitoringStore contract: ${name}`, () => {
    let f: StoreFixture<MonitoringStore>;
    beforeAll(async () => (f = await make()));
    afterAll(() => f?.cleanup());

    it('stores a profile once, finds it by id or name, and refuses a second with the same name', async () => {
      await f.store.saveProfile(profile);
      expect(await f.store.getProfile('p-1')).toEqual(profile);
      expect(await f.store.getProfile('bikes-2011')).toEqual(profile);
      expect(await f.store.listProfiles()).toEqual([{ id: 'p-1', name: 'bikes-2011', source: 'bikes@1', rowCount: 3, createdAt: T0 }]);
      await expect(f.store.saveProfile({ ...profile, id: 'p-2' })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(f.store.getProfile('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('creates, lists and deletes monitors; names are unique', async () => {
      const m = await f.store.createMonitor('m', spec, T0, { nextWindowStart: T0, lastRunAt: null, lastError: null });
      expect(m).toEqual({ name: 'm', spec, state: { nextWindowStart: T0, lastRunAt: null, lastError: null }, createdAt: T0, updatedAt: T0 });
      await expect(f.store.createMonitor('m', spec, T0, m.state)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await f.store.createMonitor('gone', spec, T0, m.state);
      await f.store.recordWindow({ monitor: 'gone', windowStart: T0, windowEnd: T0 + HOUR, rows: 1, evaluatedAt: T0, summary: {}, metrics: [{ metric: 'rows', feature: '', method: '', value: 1 }] }, m.state);
      await f.store.raiseAlert({ ...alert('dataset_drift', T0), monitor: 'gone' });
      const resolved = await f.store.deleteMonitor('gone', T0 + 5);
      expect(resolved).toMatchObject([{ monitor: 'gone', rule: 'dataset_drift', status: 'resolved', resolvedAt: T0 + 5 }]);
      expect((await f.store.listMonitors()).map((x) => x.name)).toEqual(['m']);
      expect(await f.store.listWindows('gone')).toEqual([]);
      expect(await f.store.series('gone', 'rows')).toEqual([]);
      expect((await f.store.listEvents(0, 10)).map((e) => [e.type, e.alert.monitor])).toEqual([['alert.raised', 'gone'], ['alert.resolved', 'gone']]);
      await expect(f.store.deleteMonitor('gone', T0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await f.store.setState('m', { nextWindowStart: T0, lastRunAt: T0 + 5, lastError: 'profile missing' });
      expect((await f.store.getMonitor('m')).state).toEqual({ nextWindowStart: T0, lastRunAt: T0 + 5, lastError: 'profile missing' });
    });

    it('records windows with their figures and moves the monitor on in one step; series come back oldest first', async () => {
      for (let i = 0; i < 3; i++) {
        const start = T0 + i * HOUR;
        await f.store.recordWindow(
          { monitor: 'm', windowStart: start, windowEnd: start + HOUR, rows: 10 + i, evaluatedAt: start + HOUR, summary: { drifted: i === 2 }, metrics: [{ metric: 'drift_score', feature: 'temp', method: 'wasserstein', value: 0.05 * (i + 1) }, { metric: 'rows', feature: '', method: '', value: 10 + i }, { metric: 'rmse', feature: '', method: '', value: NaN }] },
          { nextWindowStart: start + HOUR, lastRunAt: start + HOUR, lastError: null },
        );
      }
      expect((await f.store.getMonitor('m')).state.nextWindowStart).toBe(T0 + 3 * HOUR);
      const series = await f.store.series('m', 'drift_score', { feature: 'temp' });
      expect(series.map((p) => [p.windowStart - T0, Number(p.value.toFixed(6))])).toEqual([[0, 0.05], [HOUR, 0.1], [2 * HOUR, 0.15]]);
      expect(await f.store.series('m', 'rmse')).toEqual([]); // NaN is not stored
      const [newest] = await f.store.listWindows('m', { limit: 1 });
      expect(newest).toMatchObject({ windowStart: T0 + 2 * HOUR, rows: 12, summary: { drifted: true } });
      expect(newest!.metrics).toHaveLength(2);
      // Performance arrives later for the first window, then is corrected.
      await f.store.upsertMetrics('m', T0, T0 + HOUR, [{ metric: 'rmse', feature: '', method: '', value: 40 }]);
      await f.store.upsertMetrics('m', T0, T0 + HOUR, [{ metric: 'rmse', feature: '', method: '', value: 42 }]);
      expect(await f.store.series('m', 'rmse')).toEqual([{ windowStart: T0, windowEnd: T0 + HOUR, value: 42 }]);
      expect(await f.store.listWindows('m', { from: T0 + HOUR, to: T0 + 2 * HOUR })).toHaveLength(1);
    });

    it('deduplicates firing alerts per rule, resolves them, and writes one event per change', async () => {
      const first = await f.store.raiseAlert(alert('dataset_drift', T0 + HOUR));
      expect(first).toMatchObject({ rule: 'dataset_drift', status: 'firing', severity: 'warning', value: 0.7, resolvedAt: null });
      expect(await f.store.raiseAlert(alert('dataset_drift', T0 + 2 * HOUR))).toBeNull();
      await f.store.raiseAlert(alert('threshold:missing_share:temp', T0 + 2 * HOUR));
      expect(await f.store.listAlerts({ status: 'firing' })).toHaveLength(2);
      const resolved = await f.store.resolveAlert('m', 'dataset_drift', T0 + 3 * HOUR);
      expect(resolved).toMatchObject({ id: first!.id, status: 'resolved', resolvedAt: T0 + 3 * HOUR });
      expect(await f.store.resolveAlert('m', 'dataset_drift', T0 + 4 * HOUR)).toBeNull();
      const again = await f.store.raiseAlert(alert('dataset_drift', T0 + 5 * HOUR));
      expect(again!.id).not.toBe(first!.id);
      const events = (await f.store.listEvents(0, 20)).filter((e) => e.alert.monitor === 'm');
      expect(events.map((e) => [e.type, e.alert.rule])).toEqual([
        ['alert.raised', 'dataset_drift'],
        ['alert.raised', 'threshold:missing_share:temp'],
        ['alert.resolved', 'dataset_drift'],
        ['alert.raised', 'dataset_drift'],
      ]);
      expect(await f.store.listEvents(events[2]!.id, 10)).toHaveLength(1);
      expect((await f.store.listAlerts({ monitor: 'm', limit: 2 })).map((a) => a.id)).toEqual([again!.id, events[1]!.alert.id]);
    });

    it('keeps one firing alert when two writers race to raise it', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, () => f.store.raiseAlert(alert('race', T0))));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });
  });
}
