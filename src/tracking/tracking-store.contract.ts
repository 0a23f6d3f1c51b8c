/**
 * The behaviour every TrackingStore backend must have (SQLite, PostgreSQL, REST), exercised
 * through TrackingService as users reach it. Each backend's test file calls this with a factory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingStore } from './tracking-store.js';
import { TrackingService } from './tracking-service.js';
import type { GyreError } from '../core/errors.js';

export interface TrackingStoreFixture {
  store: TrackingStore;
  cleanup(): Promise<void>;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as GyreError).code ?? String(err);
  }
  return 'no error';
}

export function trackingStoreContract(name: string, makeStore: () => Promise<TrackingStoreFixture>): void {
  describe(`TrackingStore contract: ${name}`, () => {
    let fixture: TrackingStoreFixture;
    let t: TrackingService;
    let n = 0;
    const unique = (base: string) => `${base}-${Date.now()}-${++n}`;

    beforeAll(async () => {
      fixture = await makeStore();
      t = new TrackingService(fixture.store);
    });
    afterAll(async () => {
      await fixture?.store.close();
      await fixture?.cleanup();
    });

    describe('experiments', () => {
      it('has the Default experiment with id 0', async () => {
        const exp = await t.getExperiment('0');
        expect(exp.name).toBe('Default');
        expect(exp.lifecycleStage).toBe('active');
      });

      it('creates, reads by id and name, and refuses duplicate names', async () => {
        const name = unique('exp');
        const id = await t.createExperiment({ name, tags: [{ key: 'team', value: 'ml' }] });
        const exp = await t.getExperiment(id);
        expect(exp).toMatchObject({ experimentId: id, name, lifecycleStage: 'active', tags: [{ key: 'team', value: 'ml' }] });
        expect(exp.artifactLocation).toBe(`mlflow-artifacts:/${id}`);
        expect((await t.getExperimentByName(name)).experimentId).toBe(id);
        expect(await codeOf(t.createExperiment({ name }))).toBe('ALREADY_EXISTS');
        expect(await codeOf(t.getExperiment('999999'))).toBe('NOT_FOUND');
        expect(await codeOf(t.getExperimentByName(unique('missing')))).toBe('NOT_FOUND');
        expect(await codeOf(t.createExperiment({ name: '' }))).toBe('INVALID_ARGUMENT');
      });

      it('renames, tags, deletes softly with its runs, and restores', async () => {
        const id = await t.createExperiment({ name: unique('life') });
        const run = await t.createRun({ experimentId: id });
        const newName = unique('renamed');
        await t.renameExperiment(id, newName);
        expect((await t.getExperiment(id)).name).toBe(newName);
        await t.setExperimentTag(id, 'k', 'v1');
        await t.setExperimentTag(id, 'k', 'v2');
        expect((await t.getExperiment(id)).tags).toEqual([{ key: 'k', value: 'v2' }]);
        await t.deleteExperimentTag(id, 'k');
        expect((await t.getExperiment(id)).tags).toEqual([]);
        expect(await codeOf(t.deleteExperimentTag(id, 'k'))).toBe('NOT_FOUND');

        await t.deleteExperiment(id);
        expect((await t.getExperiment(id)).lifecycleStage).toBe('deleted');
        expect((await t.getRun(run.info.runId)).info.lifecycleStage).toBe('deleted');
        expect(await codeOf(t.createRun({ experimentId: id }))).toBe('INVALID_STATE');
        const active = await t.searchExperiments({ maxResults: 1000 });
        expect(active.items.map((e) => e.experimentId)).not.toContain(id);
        const deleted = await t.searchExperiments({ viewType: 'DELETED_ONLY' });
        expect(deleted.items.map((e) => e.experimentId)).toContain(id);

        await t.restoreExperiment(id);
        expect((await t.getExperiment(id)).lifecycleStage).toBe('active');
        expect((await t.getRun(run.info.runId)).info.lifecycleStage).toBe('active');
      });
    });

    describe('runs', () => {
      let experimentId: string;
      beforeAll(async () => {
        experimentId = await t.createExperiment({ name: unique('runs') });
      });

      it('creates a run with a generated name, tags and artifact uri, and ends it', async () => {
        const run = await t.createRun({ experimentId, userId: 'ana', startTime: 1000, tags: [{ key: 'stage', value: 'dev' }] });
        expect(run.info).toMatchObject({ experimentId, userId: 'ana', status: 'RUNNING', startTime: 1000, endTime: null, lifecycleStage: 'active' });
        expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
        expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d+$/);
        expect(run.info.artifactUri).toBe(`mlflow-artifacts:/${experimentId}/${run.info.runId}/artifacts`);
        const tags = Object.fromEntries(run.data.tags.map((x) => [x.key, x.value]));
        expect(tags).toMatchObject({ stage: 'dev', 'mlflow.runName': run.info.runName, 'mlflow.user': 'ana' });

        const info = await t.updateRun(run.info.runId, { status: 'FINISHED', endTime: 2000, runName: 'final' });
        expect(info).toMatchObject({ status: 'FINISHED', endTime: 2000, runName: 'final' });
        const again = await t.getRun(run.info.runId);
        expect(again.data.tags.find((x) => x.key === 'mlflow.runName')?.value).toBe('final');
        expect(await codeOf(t.updateRun(run.info.runId, { status: 'DONE' as never }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(t.getRun('0'.repeat(32)))).toBe('NOT_FOUND');
      });

      it('keeps params write-once and a rejected batch writes nothing', async () => {
        const run = await t.createRun({ experimentId });
        const id = run.info.runId;
        await t.logParam(id, 'lr', '0.1');
        await t.logParam(id, 'lr', '0.1');
        expect(await codeOf(t.logBatch(id, { params: [{ key: 'lr', value: '0.2' }], metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }], tags: [{ key: 'x', value: 'y' }] }))).toBe('CONFLICT');
        const after = await t.getRun(id);
        expect(after.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
        expect(after.data.metrics).toEqual([]);
        expect(after.data.tags.find((x) => x.key === 'x')).toBeUndefined();
        expect(await codeOf(t.logBatch(id, { params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] }))).toBe('CONFLICT');
      });

      it('keeps full metric histories and the latest point by (step, timestamp, value)', async () => {
        const run = await t.createRun({ experimentId });
        const id = run.info.runId;
        await t.logBatch(id, {
          metrics: [
            { key: 'loss', value: 0.5, timestamp: 100, step: 5 },
            { key: 'loss', value: 0.9, timestamp: 50, step: 1 },
            { key: 'loss', value: 0.5, timestamp: 100, step: 5 }, // identical point: stored once
          ],
        });
        await t.logMetric(id, 'loss', 0.7, { timestamp: 200, step: 3 }); // later in time, earlier step
        const latest = (await t.getRun(id)).data.metrics;
        expect(latest).toEqual([{ key: 'loss', value: 0.5, timestamp: 100, step: 5 }]);
        const history = await t.getMetricHistory(id, 'loss');
        expect(history.items.map((m) => [m.step, m.value])).toEqual([[1, 0.9], [3, 0.7], [5, 0.5]]);
        expect((await t.getMetricHistory(id, 'absent')).items).toEqual([]);
      });

      it('stores NaN and ±Infinity as themselves', async () => {
        const run = await t.createRun({ experimentId });
        const id = run.info.runId;
        await t.logBatch(id, {
          metrics: [
            { key: 'nan', value: Number.NaN, timestamp: 1, step: 0 },
            { key: 'inf', value: Number.POSITIVE_INFINITY, timestamp: 1, step: 0 },
            { key: 'ninf', value: Number.NEGATIVE_INFINITY, timestamp: 1, step: 0 },
          ],
        });
        const byKey = Object.fromEntries((await t.getRun(id)).data.metrics.map((m) => [m.key, m.value]));
        expect(byKey.nan).toBeNaN();
        expect(byKey.inf).toBe(Number.POSITIVE_INFINITY);
        expect(byKey.ninf).toBe(Number.NEGATIVE_INFINITY);
        expect((await t.getMetricHistory(id, 'nan')).items[0].value).toBeNaN();
      });

      it('pages a metric history with stable cursors and downsamples long ones', async () => {
        const run = await t.createRun({ experimentId });
        const id = run.info.runId;
        const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: 'acc', value: i === 500 ? 99 : i / 1000, timestamp: i, step: i }));
        await t.logBatch(id, { metrics });
        const seen: number[] = [];
        let token: string | undefined;
        do {
          const page = await t.getMetricHistory(id, 'acc', { maxResults: 300, ...(token ? { pageToken: token } : {}) });
          seen.push(...page.items.map((m) => m.step));
          token = page.nextPageToken ?? undefined;
        } while (token);
        expect(seen).toEqual(metrics.map((m) => m.step));
        const asJson = JSON.parse((await t.getMetricHistoryJson(id, 'acc')).json.toString('utf8')) as { step: number }[];
        expect(asJson.map((m) => m.step)).toEqual(metrics.map((m) => m.step));
        const small = await t.getMetricHistory(id, 'acc', { maxPoints: 100 });
        expect(small.items.length).toBeLessThanOrEqual(100);
        expect(small.items[0].step).toBe(0);
        expect(small.items.at(-1)?.step).toBe(999);
        expect(small.items.some((m) => m.value === 99)).toBe(true); // the spike survives
        expect(await codeOf(t.getMetricHistory(id, 'acc', { pageToken: 'garbage' }))).toBe('INVALID_ARGUMENT');
      });

      it('serves a history as JSON text identical to the points, exotic doubles included, and pages it', async () => {
        const id = (await t.createRun({ experimentId })).info.runId;
        const values = [0.1 + 0.2, 3, -0, 1e300, 5e-324, 1.7976931348623157e308, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -2.5e-7, 123456789.123456789];
        await t.logBatch(id, { metrics: values.map((value, step) => ({ key: 'odd key:x/y', value, timestamp: 1_700_000_000_000 + step, step })) });
        const points = (await t.getMetricHistory(id, 'odd key:x/y')).items;
        const whole = await t.getMetricHistoryJson(id, 'odd key:x/y');
        expect(whole.count).toBe(values.length);
        const parsed = JSON.parse(whole.json.toString('utf8')) as { key: string; value: number | string; timestamp: number; step: number }[];
        expect(parsed.map((p) => p.key)).toEqual(values.map(() => 'odd key:x/y'));
        expect(parsed.map((p) => p.step)).toEqual(points.map((p) => p.step));
        expect(parsed.map((p) => p.timestamp)).toEqual(points.map((p) => p.timestamp));
        expect(parsed.map((p) => (typeof p.value === 'string' ? p.value : Object.is(p.value, -0) ? 0 : p.value))).toEqual(
          values.map((v) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : Object.is(v, -0) ? 0 : v)),
        );
        const first = await t.getMetricHistoryJson(id, 'odd key:x/y', { maxResults: 4 });
        expect(first.count).toBe(4);
        const rest = await t.getMetricHistoryJson(id, 'odd key:x/y', { maxResults: 100, pageToken: first.nextPageToken! });
        expect(rest.nextPageToken).toBeNull();
        expect([...JSON.parse(first.json.toString('utf8')), ...JSON.parse(rest.json.toString('utf8'))].map((p: { step: number }) => p.step)).toEqual(parsed.map((p) => p.step));
        expect(await t.getMetricHistoryJson(id, 'absent')).toEqual({ json: Buffer.from('[]'), count: 0, nextPageToken: null });
      });

      it('sets and deletes tags, and refuses writes to deleted runs until restored', async () => {
        const run = await t.createRun({ experimentId });
        const id = run.info.runId;
        await t.setTag(id, 'note', 'a');
        await t.setTag(id, 'note', 'b');
        expect((await t.getRun(id)).data.tags.find((x) => x.key === 'note')?.value).toBe('b');
        await t.deleteTag(id, 'note');
        expect(await codeOf(t.deleteTag(id, 'note'))).toBe('NOT_FOUND');
        await t.deleteRun(id);
        expect((await t.getRun(id)).info.lifecycleStage).toBe('deleted');
        expect(await codeOf(t.logMetric(id, 'm', 1))).toBe('INVALID_STATE');
        await t.restoreRun(id);
        await t.logMetric(id, 'm', 1);
      });

      it('refuses bad names and oversize values with INVALID_ARGUMENT', async () => {
        const id = (await t.createRun({ experimentId })).info.runId;
        expect(await codeOf(t.logParam(id, '../escape', 'x'))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(t.logParam(id, 'p', 'x'.repeat(6001)))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(t.setTag(id, 'k'.repeat(251), 'x'))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(t.logMetric(id, 'm', 'one' as never))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(t.logBatch(id, { metrics: Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: 0, step: i })) }))).toBe('INVALID_ARGUMENT');
        expect((await t.getRun(id)).data.params).toEqual([]);
      });

      it('records dataset inputs once per (name, digest)', async () => {
        const id = (await t.createRun({ experimentId })).info.runId;
        const dataset = { name: 'bikes', digest: 'abc123', sourceType: 'local', source: 'hour.csv', schema: '{"cols":[]}' };
        await t.logInputs(id, [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }]);
        await t.logInputs(id, [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }]);
        const run = await t.getRun(id);
        expect(run.inputs.datasetInputs).toEqual([{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }]);
      });

      it('nests runs under a parent', async () => {
        const parent = await t.createRun({ experimentId });
        const child = await t.createRun({ experimentId, parentRunId: parent.info.runId });
        expect(child.data.tags).toContainEqual({ key: 'mlflow.parentRunId', value: parent.info.runId });
        const found = await t.searchRuns({ experimentIds: [experimentId], filter: `tags."mlflow.parentRunId" = '${parent.info.runId}'` });
        expect(found.items.map((r) => r.info.runId)).toEqual([child.info.runId]);
      });
    });

    describe('search', () => {
      let experimentId: string;
      const ids: string[] = [];
      beforeAll(async () => {
        experimentId = await t.createExperiment({ name: unique('search') });
        for (let i = 0; i < 12; i++) {
          const run = await t.createRun({ experimentId, startTime: 1000 + i, runName: `run-${i}` });
          ids.push(run.info.runId);
          const metrics = i === 11 ? [] : [{ key: 'rmse', value: i === 10 ? Number.NaN : 10 - i, timestamp: 1, step: 0 }];
          await t.logBatch(run.info.runId, {
            metrics,
            params: [{ key: 'model', value: i % 2 === 0 ? 'gbdt' : 'linear' }],
            tags: [{ key: 'team', value: i < 6 ? 'Alpha' : 'beta' }],
          });
          await t.logInputs(run.info.runId, [{ dataset: { name: i < 3 ? 'bikes' : 'adult', digest: 'd1', sourceType: 'local', source: 'x' }, tags: [] }]);
        }
      });

      const search = async (filter?: string, orderBy?: string[]) =>
        (await t.searchRuns({ experimentIds: [experimentId], ...(filter ? { filter } : {}), ...(orderBy ? { orderBy } : {}) })).items.map((r) => r.info.runName);

      it('orders by start time, newest first, by default', async () => {
        expect((await search()).slice(0, 3)).toEqual(['run-11', 'run-10', 'run-9']);
      });

      it('filters on metrics, params, tags, attributes and datasets', async () => {
        expect(await search('metrics.rmse < 3', ['metrics.rmse ASC'])).toEqual(['run-9', 'run-8']);
        expect(await search("params.model = 'gbdt' and metrics.rmse >= 6", ['attributes.start_time ASC'])).toEqual(['run-0', 'run-2', 'run-4']);
        expect((await search("tags.team LIKE 'Al%'")).length).toBe(6);
        expect((await search("tags.team LIKE 'al%'")).length).toBe(0);
        expect((await search("tags.team ILIKE 'al%'")).length).toBe(6);
        expect(await search("attributes.run_name IN ('run-1', 'run-2')", ['attributes.run_name'])).toEqual(['run-1', 'run-2']);
        expect(await search("datasets.name = 'bikes'", ['attributes.start_time'])).toEqual(['run-0', 'run-1', 'run-2']);
        expect(await search('metrics.rmse != 5', ['attributes.start_time']).then((r) => r.length)).toBe(9); // NaN and missing never match
      });

      it('goes past MLflow: OR, parentheses and IN on any string field', async () => {
        expect(await search("metrics.rmse > 9 OR (params.model = 'linear' AND metrics.rmse < 2)", ['attributes.start_time'])).toEqual(['run-0', 'run-9']);
        expect((await search("params.model IN ('gbdt') AND tags.team NOT IN ('beta')")).sort()).toEqual(['run-0', 'run-2', 'run-4']);
      });

      it('sorts NaN after numbers and missing metrics last, in both directions', async () => {
        const asc = await search(undefined, ['metrics.rmse ASC']);
        expect(asc[0]).toBe('run-9');
        expect(asc.slice(-3)).toEqual(['run-0', 'run-10', 'run-11']);
        const desc = await search(undefined, ['metrics.rmse DESC']);
        expect(desc.slice(0, 2)).toEqual(['run-0', 'run-1']);
        expect(desc.slice(-2)).toEqual(['run-10', 'run-11']);
      });

      it('pages with cursors that stay stable while runs are added', async () => {
        const pageOne = await t.searchRuns({ experimentIds: [experimentId], orderBy: ['metrics.rmse ASC'], maxResults: 5 });
        expect(pageOne.nextPageToken).toBeTruthy();
        const extra = await t.createRun({ experimentId, runName: 'late' });
        await t.logMetric(extra.info.runId, 'rmse', -1); // sorts before everything already returned
        const names = pageOne.items.map((r) => r.info.runName);
        let token = pageOne.nextPageToken;
        while (token) {
          const page = await t.searchRuns({ experimentIds: [experimentId], orderBy: ['metrics.rmse ASC'], maxResults: 5, pageToken: token });
          names.push(...page.items.map((r) => r.info.runName));
          token = page.nextPageToken;
        }
        expect(names).toHaveLength(12);
        expect(new Set(names).size).toBe(12);
        expect(names).not.toContain('late');
        await t.deleteRun(extra.info.runId);
      });

      it('refuses bad filters, order keys and foreign page tokens', async () => {
        expect(await codeOf(t.searchRuns({ experimentIds: [experimentId], filter: 'metrics.rmse LIKE 3' }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(t.searchRuns({ experimentIds: [experimentId], filter: "params.x = 'unterminated" }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(t.searchRuns({ experimentIds: [experimentId], orderBy: ['metrics.rmse SIDEWAYS'] }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(t.searchRuns({ experimentIds: [experimentId], maxResults: 50001 }))).toBe('INVALID_ARGUMENT');
        const page = await t.searchRuns({ experimentIds: [experimentId], maxResults: 2 });
        expect(await codeOf(t.searchRuns({ experimentIds: [experimentId], maxResults: 2, filter: 'metrics.rmse > 0', pageToken: page.nextPageToken! }))).toBe('INVALID_ARGUMENT');
      });

      it('excludes deleted runs unless asked', async () => {
        const run = await t.createRun({ experimentId, runName: 'gone' });
        await t.deleteRun(run.info.runId);
        expect(await search("attributes.run_name = 'gone'")).toEqual([]);
        const all = await t.searchRuns({ experimentIds: [experimentId], filter: "attributes.run_name = 'gone'", runViewType: 'ALL' });
        expect(all.items).toHaveLength(1);
      });
    });
  });
}
