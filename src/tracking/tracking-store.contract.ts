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

      it("lists each run's params, tags and metrics by key, alike on every backend", async () => {
        const run = await t.createRun({ experimentId, runName: 'keyed' });
        const keys = ['b', 'a_b', 'Z', 'a.b', 'a', 'a:b', 'A', 'a-b'];
        await t.logBatch(run.info.runId, {
          params: keys.map((key) => ({ key, value: key })),
          tags: keys.map((key) => ({ key, value: key })),
          metrics: keys.map((key, i) => ({ key, value: i, timestamp: 1, step: 0 })),
        });
        const byCodePoint = ['A', 'Z', 'a', 'a-b', 'a.b', 'a:b', 'a_b', 'b'];
        const [found] = (await t.searchRuns({ experimentIds: [experimentId], filter: "attributes.run_name = 'keyed'" })).items;
        for (const r of [found, await t.getRun(run.info.runId)]) {
          expect(r.data.params.map((p) => p.key)).toEqual(byCodePoint);
          expect(r.data.metrics.map((m) => m.key)).toEqual(byCodePoint);
          expect(r.data.tags.map((x) => x.key).filter((k) => !k.startsWith('mlflow.'))).toEqual(byCodePoint);
        }
        await t.deleteRun(run.info.runId);
      });

      // Metric orders page through three groups (values, NaN, missing) and may be answered by an
      // index walk or by a full sort; every page size must give the one order a single page gives.
      describe('metric orders, page by page', () => {
        // Ties, NaN, ±Infinity and missing values; w-5 lacks the param.
        const SCORES = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, Number.NaN, Number.NaN, Infinity, -Infinity, undefined, undefined];
        const PAGE_SIZES = [1, 2, 3, 5, 7];
        let walk: string;
        let other: string;
        beforeAll(async () => {
          walk = await t.createExperiment({ name: unique('walk') });
          other = await t.createExperiment({ name: unique('walk-other') });
          const log = async (experimentId: string, name: string, i: number, score: number | undefined, group: string | undefined) => {
            const run = await t.createRun({ experimentId, runName: name, startTime: 1000 + i });
            await t.logBatch(run.info.runId, {
              metrics: [{ key: 'm0', value: i, timestamp: 1, step: 0 }, ...(score === undefined ? [] : [{ key: 'score', value: score, timestamp: 1, step: 0 }])],
              params: group === undefined ? [] : [{ key: 'grp', value: group }],
            });
            return run.info.runId;
          };
          for (let i = 0; i < SCORES.length; i++) await log(walk, `w-${i}`, i, SCORES[i], i === 5 ? undefined : ['b', 'a', 'c'][i % 3]);
          await t.deleteRun(await log(walk, 'w-deleted', 100, 100, 'a'));
          // Another experiment's runs share the key and sit inside the walk's value range.
          for (let i = 0; i < 10; i++) await log(other, `o-${i}`, 50 + i, 4.5, 'a');
        });

        type Query = { experimentIds: string[]; orderBy: string[]; filter?: string; runViewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL' };
        type SortKey = { type: 'metric' | 'param'; key: string; ascending: boolean };
        type FoundRun = Awaited<ReturnType<TrackingService['searchRuns']>>['items'][number];
        const namesOf = (runs: FoundRun[]) => runs.map((r) => r.info.runName);

        const pages = async (q: Query, maxResults: number): Promise<FoundRun[]> => {
          const runs: FoundRun[] = [];
          let pageToken: string | null = null;
          for (let i = 0; i < 200; i++) {
            const page = await t.searchRuns({ ...q, maxResults, ...(pageToken ? { pageToken } : {}) });
            expect(page.items.length).toBeLessThanOrEqual(maxResults);
            runs.push(...page.items);
            pageToken = page.nextPageToken;
            if (!pageToken) return runs;
          }
          throw new Error('paging did not end');
        };

        /** MLflow's rule: values in the key's direction, then NaN, then missing; params: present, then missing. */
        const rankAndValue = (run: FoundRun, k: SortKey): [number, number | string] => {
          if (k.type === 'param') {
            const p = run.data.params.find((x) => x.key === k.key);
            return p ? [0, p.value] : [1, ''];
          }
          const m = run.data.metrics.find((x) => x.key === k.key);
          if (!m) return [2, 0];
          return Number.isNaN(m.value) ? [1, 0] : [0, m.value];
        };
        const expectOrdered = (runs: FoundRun[], keys: SortKey[]) => {
          for (let i = 1; i < runs.length; i++) {
            for (const k of keys) {
              const [ra, va] = rankAndValue(runs[i - 1], k);
              const [rb, vb] = rankAndValue(runs[i], k);
              if (ra !== rb) {
                expect(ra, `${runs[i - 1].info.runName} before ${runs[i].info.runName}`).toBeLessThan(rb);
                break;
              }
              if (va !== vb) {
                expect(k.ascending ? va < vb : va > vb, `${runs[i - 1].info.runName} before ${runs[i].info.runName} by ${k.key}`).toBe(true);
                break;
              }
            }
          }
        };
        /** One page and every small page size agree, the order follows the keys, and no run repeats. */
        const expectSameOrderAtEveryPageSize = async (q: Query, keys: SortKey[], expected: string[]) => {
          const whole = await pages(q, 1000);
          expect([...namesOf(whole)].sort()).toEqual([...expected].sort());
          expectOrdered(whole, keys);
          for (const size of PAGE_SIZES) expect(namesOf(await pages(q, size)), `page size ${size}`).toEqual(namesOf(whole));
          return namesOf(whole);
        };
        const walkRuns = SCORES.map((_, i) => `w-${i}`);
        const metricKey = (ascending: boolean): SortKey => ({ type: 'metric', key: 'score', ascending });

        it('pages through values, then NaN, then missing runs, in both directions', async () => {
          const desc = await expectSameOrderAtEveryPageSize({ experimentIds: [walk], orderBy: ['metrics.score DESC'] }, [metricKey(false)], walkRuns);
          expect(desc.slice(0, 4)).toEqual(['w-20', ...desc.slice(1, 4)]);
          expect(desc.slice(1, 4).sort()).toEqual(['w-12', 'w-14', 'w-5']);
          expect(desc.slice(-5, -4)).toEqual(['w-21']);
          expect(desc.slice(-4, -2).sort()).toEqual(['w-18', 'w-19']);
          expect(desc.slice(-2).sort()).toEqual(['w-22', 'w-23']);
          const asc = await expectSameOrderAtEveryPageSize({ experimentIds: [walk], orderBy: ['metrics.score ASC'] }, [metricKey(true)], walkRuns);
          expect(asc[0]).toBe('w-21');
          expect(asc.slice(-5, -4)).toEqual(['w-20']);
          expect(asc.slice(-4, -2).sort()).toEqual(['w-18', 'w-19']);
          expect(asc.slice(-2).sort()).toEqual(['w-22', 'w-23']);
        });

        it('breaks ties on the metric by the next order key', async () => {
          const group = (ascending: boolean): SortKey => ({ type: 'param', key: 'grp', ascending });
          const desc = await expectSameOrderAtEveryPageSize(
            { experimentIds: [walk], orderBy: ['metrics.score DESC', 'params.grp ASC'] },
            [metricKey(false), group(true)],
            walkRuns,
          );
          expect(desc.slice(1, 4)).toEqual(['w-12', 'w-14', 'w-5']); // score 9: grp b, c, missing
          const asc = await expectSameOrderAtEveryPageSize(
            { experimentIds: [walk], orderBy: ['metrics.score ASC', 'params.grp DESC'] },
            [metricKey(true), group(false)],
            walkRuns,
          );
          expect(asc.slice(1, 3)).toEqual(['w-3', 'w-1']); // score 1: grp b, a
        });

        it('pages orders led by a param or an attribute the same way', async () => {
          await expectSameOrderAtEveryPageSize(
            { experimentIds: [walk], orderBy: ['params.grp DESC', 'metrics.score ASC'] },
            [{ type: 'param', key: 'grp', ascending: false }, metricKey(true)],
            walkRuns,
          );
          const byStart = await expectSameOrderAtEveryPageSize({ experimentIds: [walk], orderBy: ['attributes.start_time ASC', 'metrics.score DESC'] }, [], walkRuns);
          expect(byStart).toEqual(walkRuns);
        });

        it('combines a filter with a metric order, also when few runs match', async () => {
          const wide = await expectSameOrderAtEveryPageSize(
            { experimentIds: [walk], orderBy: ['metrics.score DESC'], filter: "metrics.m0 >= 6 AND params.grp != 'c'" },
            [metricKey(false)],
            walkRuns.filter((_, i) => i >= 6 && i % 3 !== 2),
          );
          expect(wide.slice(0, 2)).toEqual(['w-12', 'w-13']); // 9 and 7: w-20 and w-14 have grp c
          // Only the last four runs match: most of the index is walked past without a match.
          for (const ascending of [false, true]) {
            const narrow = await expectSameOrderAtEveryPageSize(
              { experimentIds: [walk], orderBy: [`metrics.score ${ascending ? 'ASC' : 'DESC'}`], filter: 'metrics.m0 >= 20' },
              [metricKey(ascending)],
              ['w-20', 'w-21', 'w-22', 'w-23'],
            );
            expect(narrow.slice(0, 2)).toEqual(ascending ? ['w-21', 'w-20'] : ['w-20', 'w-21']);
          }
          expect(await pages({ experimentIds: [walk], orderBy: ['metrics.score DESC'], filter: 'metrics.m0 > 1000' }, 2)).toEqual([]);
        });

        it('orders runs of several experiments and of every view type', async () => {
          const both = await expectSameOrderAtEveryPageSize(
            { experimentIds: [walk, other], orderBy: ['metrics.score DESC'] },
            [metricKey(false)],
            [...walkRuns, ...Array.from({ length: 10 }, (_, i) => `o-${i}`)],
          );
          expect(both.slice(10, 20).every((name) => name.startsWith('o-'))).toBe(true); // 4.5, between the 5s and the 4
          const all = await expectSameOrderAtEveryPageSize({ experimentIds: [walk], orderBy: ['metrics.score DESC'], runViewType: 'ALL' }, [metricKey(false)], [
            ...walkRuns,
            'w-deleted',
          ]);
          expect(all.slice(0, 2)).toEqual(['w-20', 'w-deleted']);
          expect(namesOf(await pages({ experimentIds: [walk], orderBy: ['metrics.score ASC'], runViewType: 'DELETED_ONLY' }, 1))).toEqual(['w-deleted']);
        });

        it('resumes after ±Infinity and stays stable while runs are added', async () => {
          for (const ascending of [false, true]) {
            const q: Query = { experimentIds: [walk], orderBy: [`metrics.score ${ascending ? 'ASC' : 'DESC'}`] };
            const before = namesOf(await pages(q, 1000));
            const first = await t.searchRuns({ ...q, maxResults: 1 });
            expect(namesOf(first.items)).toEqual([ascending ? 'w-21' : 'w-20']); // the cursor holds ±Infinity
            const ahead = await t.createRun({ experimentId: walk, runName: 'late-ahead' });
            await t.logMetric(ahead.info.runId, 'score', ascending ? -Infinity : Infinity); // ties the cursor's value
            const behind = await t.createRun({ experimentId: walk, runName: 'late-behind' });
            await t.logMetric(behind.info.runId, 'score', 4.25);
            const rest: FoundRun[] = [];
            let pageToken = first.nextPageToken;
            while (pageToken) {
              const page = await t.searchRuns({ ...q, maxResults: 3, pageToken });
              rest.push(...page.items);
              pageToken = page.nextPageToken;
            }
            const names = [...namesOf(first.items), ...namesOf(rest)];
            expect(names.filter((n) => !n.startsWith('late-'))).toEqual(before);
            expect(names).toContain('late-behind'); // after the cursor: found
            // Equal to the cursor's value, so the run id decides; either way it appears at most once.
            expect(names.filter((n) => n === 'late-ahead').length).toBeLessThanOrEqual(1);
            await t.deleteRun(ahead.info.runId);
            await t.deleteRun(behind.info.runId);
          }
        });
      });
    });
  });
}
