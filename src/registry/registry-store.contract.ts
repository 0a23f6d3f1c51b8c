/**
 * The behaviour every RegistryStore backend must have, exercised through RegistryService as users
 * reach it. SQLite and PostgreSQL run it (src/stores/sql/sql-registry-store.test.ts), and so does
 * the REST backend through a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryStore } from './registry-store.js';
import { RegistryService } from './registry-service.js';
import type { RegistryApi } from './registry-api.js';
import { expectInvalidArgument } from '../test-support/expect-invalid-argument.js';

export interface RegistryStoreFixture {
  /** A store to test through RegistryService, or a whole remote API (REST) to test as is. */
  store?: RegistryStore;
  api?: RegistryApi;
  /** Latest metrics per run id, for policy gates. */
  metrics?: Map<string, Record<string, number>>;
  /** More stores on the same database (other connections or processes), for concurrency tests. */
  more?: () => Promise<RegistryStore>;
  cleanup(): Promise<void>;
}

const alice = { user: 'alice' };
const bob = { user: 'bob', reason: 'looks good' };

/** `localGates`: policy gates read metrics injected here (not over REST, where the server's tracking answers). */
export function registryStoreContract(name: string, make: () => Promise<RegistryStoreFixture>, { localGates = true } = {}): void {
  describe(`RegistryStore contract: ${name}`, () => {
    let f: RegistryStoreFixture;
    let r: RegistryApi;
    const metrics = new Map<string, Record<string, number>>();
    let n = 0;
    const unique = (base: string) => `${base}-${++n}`;
    const model = async (base: string, versions = 0) => {
      const m = unique(base);
      await r.createModel({ name: m, description: 'demand forecast', tags: [{ key: 'team', value: 'ml' }] }, alice);
      for (let i = 1; i <= versions; i++) await r.createVersion({ name: m, source: `runs:/run${i}/model`, runId: `run${i}` }, alice);
      return m;
    };

    beforeAll(async () => {
      f = await make();
      r = f.api ?? new RegistryService(f.store!, async (runId) => metrics.get(runId) ?? {});
    });
    afterAll(async () => {
      await f?.store?.close();
      await f?.cleanup();
    });

    describe('registered models', () => {
      it('creates, reads, renames, describes, tags and deletes a model', async () => {
        const m = await model('bikes');
        expect(await r.getModel(m)).toMatchObject({ name: m, description: 'demand forecast', tags: [{ key: 'team', value: 'ml' }], aliases: [], latestVersions: [] });
        await r.setModelTag(m, 'owner', 'alice', alice);
        await r.deleteModelTag(m, 'team', alice);
        expect((await r.getModel(m)).tags).toEqual([{ key: 'owner', value: 'alice' }]);
        const renamed = await r.renameModel(m, `${m}-v2`, alice);
        expect(renamed.name).toBe(`${m}-v2`);
        await expect(r.getModel(m)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        expect((await r.updateModel(`${m}-v2`, 'hourly demand', alice)).description).toBe('hourly demand');
        await r.deleteModel(`${m}-v2`, alice);
        await expect(r.getModel(`${m}-v2`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });

      it('refuses duplicates, bad names and unknown models, changing nothing', async () => {
        const m = await model('dup');
        await expect(r.createModel({ name: m }, alice)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
        const other = await model('other');
        await expect(r.renameModel(other, m, alice)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
        expect((await r.getModel(other)).name).toBe(other);
        await expectInvalidArgument(r.createModel({ name: '' }, alice), /non-empty/);
        await expectInvalidArgument(r.createModel({ name: 'a/b' }, alice), /delimit model references/);
        await expect(r.deleteModel('no-such-model', alice)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(r.deleteModelTag(m, 'nope', alice)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });

      it('searches models with the filter language, ordering and paging', async () => {
        const prefix = unique('search');
        for (const s of ['a', 'b', 'c']) await r.createModel({ name: `${prefix}-${s}`, tags: [{ key: 'tier', value: s === 'b' ? 'gold' : 'silver' }] }, alice);
        const like = await r.searchModels({ filter: `name LIKE '${prefix}-%'`, orderBy: ['name DESC'], maxResults: 2 });
        expect(like.items.map((m) => m.name)).toEqual([`${prefix}-c`, `${prefix}-b`]);
        const next = await r.searchModels({ filter: `name LIKE '${prefix}-%'`, orderBy: ['name DESC'], maxResults: 2, pageToken: like.nextPageToken! });
        expect(next.items.map((m) => m.name)).toEqual([`${prefix}-a`]);
        expect(next.nextPageToken).toBeNull();
        const gold = await r.searchModels({ filter: `name LIKE '${prefix}%' AND (tags.tier = 'gold' OR name = '${prefix}-c')` });
        expect(gold.items.map((m) => m.name)).toEqual([`${prefix}-b`, `${prefix}-c`]);
        await expectInvalidArgument(r.searchModels({ filter: 'flavour = 1' }), /unknown attribute 'flavour'/);
      });
    });

    describe('versions', () => {
      it('numbers versions per model, reads them, tags, describes and deletes them', async () => {
        const m = await model('ver', 2);
        const v3 = await r.createVersion({ name: m, source: 'file:///m.onnx', runId: 'run3', description: 'third', tags: [{ key: 'k', value: 'v' }], packageDigest: 'sha256:abc' }, alice);
        expect(v3).toMatchObject({ name: m, version: 3, stage: 'None', status: 'READY', runId: 'run3', description: 'third', tags: [{ key: 'k', value: 'v' }], packageDigest: 'sha256:abc', userId: 'alice' });
        expect((await r.getVersion(m, '2')).version).toBe(2);
        await r.setVersionTag(m, 3, 'validated', 'true', alice);
        expect((await r.getVersion(m, 3)).tags).toEqual([{ key: 'k', value: 'v' }, { key: 'validated', value: 'true' }]);
        expect((await r.updateVersion(m, 3, 'better', alice)).description).toBe('better');
        await r.deleteVersion(m, 2, alice);
        await expect(r.getVersion(m, 2)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        // Numbers are never reused.
        expect((await r.createVersion({ name: m, source: 's' }, alice)).version).toBe(4);
        await expect(r.createVersion({ name: 'no-such-model', source: 's' }, alice)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expectInvalidArgument(r.getVersion(m, 'two'), /positive integer/);
      });

      it('transitions stages (archiving the others on request) and answers latest versions per stage', async () => {
        const m = await model('stage', 3);
        await r.transitionStage(m, 1, 'production', false, alice);
        await r.transitionStage(m, 2, 'Production', true, alice);
        expect((await r.getVersion(m, 1)).stage).toBe('Archived');
        expect((await r.latestVersions(m, ['Production'])).map((v) => v.version)).toEqual([2]);
        expect((await r.latestVersions(m)).map((v) => [v.version, v.stage])).toEqual([[1, 'Archived'], [2, 'Production'], [3, 'None']]);
        await expectInvalidArgument(r.transitionStage(m, 1, 'Live', false, alice), /Invalid Model Version stage/);
        expect((await r.resolve(`models:/${m}/Production`)).version).toBe(2);
      });

      it('searches versions by name, run id, tags and version number', async () => {
        const m = await model('vsearch', 3);
        expect((await r.searchVersions({ filter: `name = '${m}' AND run_id IN ('run1', 'run3')`, orderBy: ['version_number ASC'] })).items.map((v) => v.version)).toEqual([1, 3]);
        expect((await r.searchVersions({ filter: `name = '${m}' AND version_number >= 2` })).items.map((v) => v.version).sort()).toEqual([2, 3]);
        expect((await r.searchVersions({ filter: `name = '${m}' AND source_path = 'runs:/run2/model'` })).items.map((v) => v.version)).toEqual([2]);
      });
    });

    describe('aliases', () => {
      it('sets, moves, reads and deletes aliases, and keeps every move in the history', async () => {
        const m = await model('alias', 3);
        await r.setAlias(m, 'champion', 1, alice);
        await r.setAlias(m, 'champion', '2', { user: 'bob', reason: 'better rmse' });
        expect((await r.getVersionByAlias(m, 'champion')).version).toBe(2);
        expect((await r.getModel(m)).aliases).toEqual([{ alias: 'champion', version: 2 }]);
        expect((await r.getVersion(m, 2)).aliases).toEqual(['champion']);
        expect((await r.resolve(`${m}@champion`)).version).toBe(2);
        expect((await r.resolve(`models:/${m}@champion`)).version).toBe(2);
        expect((await r.resolve(`models:/${m}/3`)).version).toBe(3);
        expect((await r.resolve(`${m}/latest`)).version).toBe(3);
        await r.deleteAlias(m, 'champion', alice);
        await expectInvalidArgument(r.getVersionByAlias(m, 'champion'), /alias champion not found/);
        const history = await r.aliasHistory(m, 'champion');
        expect(history.map((h) => [h.fromVersion, h.toVersion, h.user, h.via])).toEqual([
          [null, 1, 'alice', 'direct'],
          [1, 2, 'bob', 'direct'],
          [2, null, 'alice', 'direct'],
        ]);
        expect(history[1]!.reason).toBe('better rmse');
      });

      it('refuses reserved and malformed aliases, and aliases on missing versions', async () => {
        const m = await model('alias-bad', 1);
        await expectInvalidArgument(r.setAlias(m, 'latest', 1, alice), /reserved/);
        await expectInvalidArgument(r.setAlias(m, 'v2', 1, alice), /reserved/);
        await expectInvalidArgument(r.setAlias(m, 'has space', 1, alice), /not valid/);
        await expect(r.setAlias(m, 'champion', 7, alice)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await r.createVersion({ name: m, source: 's' }, alice);
        await r.deleteVersion(m, 2, alice);
        await expect(r.setAlias(m, 'champion', 2, alice)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        expect((await r.getModel(m)).aliases).toEqual([]);
      });

      it('drops the aliases of a deleted version, recording why', async () => {
        const m = await model('alias-del', 2);
        await r.setAlias(m, 'champion', 2, alice);
        await r.deleteVersion(m, 2, alice);
        expect((await r.getModel(m)).aliases).toEqual([]);
        expect((await r.aliasHistory(m)).at(-1)).toMatchObject({ fromVersion: 2, toVersion: null, reason: 'version 2 deleted' });
      });
    });

    describe('protected aliases', () => {
      it('needs an approval by another user; the approval moves the alias and is in the history', async () => {
        const m = await model('prot', 2);
        await r.setAlias(m, 'champion', 1, alice);
        await r.protectAlias(m, 'champion', null, alice);
        await expect(r.setAlias(m, 'champion', 2, alice)).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/protected/) });
        const req = await r.requestApproval(m, 'champion', 2, { user: 'alice', reason: 'v2 beats v1 on 2012' });
        expect(req).toMatchObject({ status: 'PENDING', requestedBy: 'alice', version: 2 });
        await expect(r.decide(req.id, 'APPROVED', { user: 'alice' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
        expect((await r.getVersionByAlias(m, 'champion')).version).toBe(1);
        const decided = await r.decide(req.id, 'APPROVED', bob);
        expect(decided).toMatchObject({ status: 'APPROVED', decidedBy: 'bob', decisionReason: 'looks good' });
        expect((await r.getVersionByAlias(m, 'champion')).version).toBe(2);
        expect((await r.aliasHistory(m, 'champion')).at(-1)).toMatchObject({ fromVersion: 1, toVersion: 2, user: 'bob', via: 'approval', approvalId: req.id });
        await expect(r.decide(req.id, 'REJECTED', { user: 'carol', reason: 'late' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
        expect((await r.listApprovals({ name: m })).map((a) => a.status)).toEqual(['APPROVED']);
      });

      it('records a rejection with its reason and leaves the alias where it was', async () => {
        const m = await model('prot-rej', 2);
        await r.setAlias(m, 'champion', 1, alice);
        await r.protectAlias(m, 'champion', null, alice);
        const req = await r.requestApproval(m, 'champion', 2, alice);
        await expectInvalidArgument(r.decide(req.id, 'REJECTED', { user: 'bob' }), /needs a reason/);
        expect((await r.decide(req.id, 'REJECTED', { user: 'bob', reason: 'fails on weekends' })).status).toBe('REJECTED');
        expect((await r.getVersionByAlias(m, 'champion')).version).toBe(1);
        await expect(r.requestApproval(m, 'staging', 2, alice)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      });

      it.skipIf(!localGates)('a policy gate moves the alias when the candidate beats the holder, refuses otherwise, and keeps its evidence', async () => {
        const m = await model('gate', 3);
        metrics.set('run1', { rmse: 70 });
        metrics.set('run2', { rmse: 58 });
        metrics.set('run3', { rmse: 64 });
        await r.setAlias(m, 'champion', 1, alice);
        await r.protectAlias(m, 'champion', { thresholds: [{ metric: 'rmse', op: '<=', value: 65 }], mustBeat: { metric: 'rmse', higherIsBetter: false } }, alice);
        const moved = await r.setAlias(m, 'champion', 2, { user: 'pipeline', reason: 'weekly retrain' });
        expect(moved).toMatchObject({ fromVersion: 1, toVersion: 2, via: 'policy' });
        expect(moved.evidence).toMatchObject({ passed: true, holderVersion: 1, rules: [{ candidate: 58, passed: true }, { candidate: 58, holder: 70, passed: true }] });
        const refused = await r.setAlias(m, 'champion', 3, alice).catch((e) => e);
        expect(refused).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/policy gate failed on rmse lower than the current holder's \(candidate 64, holder 58\)/) });
        expect(refused.details.evidence.passed).toBe(false);
        expect((await r.getVersionByAlias(m, 'champion')).version).toBe(2);
        expect((await r.checkGate(m, 'champion', 3))!.passed).toBe(false);
        await expectInvalidArgument(r.protectAlias(m, 'champion', { thresholds: [{ metric: 'rmse', op: '~', value: 1 }] }, alice), /thresholds\[0\]/);
      });
    });

    describe('events', () => {
      it('records every mutation in order, in the same transaction', async () => {
        const before = (await r.listEvents(0, 10_000)).at(-1)?.id ?? 0;
        const m = await model('events', 1);
        await r.setAlias(m, 'challenger', 1, alice);
        await r.setVersionTag(m, 1, 'k', 'v', alice);
        const events = await r.listEvents(before, 100);
        expect(events.map((e) => e.type)).toEqual(['registered_model.created', 'model_version.created', 'model_alias.set', 'model_version_tag.set']);
        expect(events[2]).toMatchObject({ modelName: m, version: 1, user: 'alice', payload: { alias: 'challenger', fromVersion: null, toVersion: 1 } });
        // A refused change writes no event.
        await r.setAlias(m, 'challenger', 9, alice).catch(() => {});
        expect((await r.listEvents(events.at(-1)!.id, 100)).length).toBe(0);
      });
    });

    describe('concurrency', () => {
      it('20 clients creating versions of one model get dense, unique numbers', async () => {
        const m = await model('race');
        const stores = f.more ? await Promise.all(Array.from({ length: 4 }, () => f.more!())) : [];
        const services: RegistryApi[] = stores.length ? stores.map((s) => new RegistryService(s)) : [r];
        const made = await Promise.all(Array.from({ length: 20 }, (_, i) => services[i % services.length]!.createVersion({ name: m, source: `s${i}` }, alice)));
        expect(made.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        if (f.more) for (const s of stores) await s.close();
      });

      it('concurrent alias moves end with one holder and a complete, chained history', async () => {
        const m = await model('alias-race', 10);
        const stores = f.more ? await Promise.all(Array.from({ length: 4 }, () => f.more!())) : [];
        const services: RegistryApi[] = stores.length ? stores.map((s) => new RegistryService(s)) : [r];
        await Promise.all(Array.from({ length: 20 }, (_, i) => services[i % services.length]!.setAlias(m, 'champion', (i % 10) + 1, { user: `u${i}` })));
        const history = await r.aliasHistory(m, 'champion');
        expect(history).toHaveLength(20);
        for (let i = 1; i < history.length; i++) expect(history[i]!.fromVersion).toBe(history[i - 1]!.toVersion);
        expect((await r.getVersionByAlias(m, 'champion')).version).toBe(history.at(-1)!.toVersion);
        if (f.more) for (const s of stores) await s.close();
      });
    });
  });
}
