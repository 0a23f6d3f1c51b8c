/** What every RetrainingStore backend must do. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetrainingStore } from './retraining-store.js';
import type { NewRetrainingEvent, RetrainingPolicy } from './entities.js';

export interface RetrainingStoreFixture {
  store: RetrainingStore;
  cleanup(): Promise<void>;
}

const policy = (deployment: string, windowDays = 180): RetrainingPolicy => ({
  deployment,
  model: 'bikes',
  alias: 'champion',
  target: 'cnt',
  trainer: { model: 'gbdt' },
  data: { windowDays },
  evaluationDays: 7,
  triggers: { everyDays: 7 },
  rollout: 'promote',
  guardRails: { coolDownHours: 24, maxPerWeek: 3 },
});

const event = (deployment: string, at: number, outcome: NewRetrainingEvent['outcome']): NewRetrainingEvent => ({
  deployment,
  at,
  trigger: 'schedule',
  outcome,
  reason: `${outcome} at ${at}`,
  runId: outcome === 'skipped' ? null : `run-${at}`,
  version: outcome === 'promoted' ? 2 : null,
  championVersion: 1,
  detail: { gate: { passed: outcome === 'promoted' } },
});

export function retrainingStoreContract(name: string, make: () => Promise<RetrainingStoreFixture>): void {
  describe(`RetrainingStore contract: ${name}`, () => {
    let f: RetrainingStoreFixture;
    beforeAll(async () => (f = await make()));
    afterAll(() => f?.cleanup());

    it('puts, replaces, lists and deletes policies; a missing one is NOT_FOUND naming the fix', async () => {
      await f.store.putPolicy(policy('bikes'), 1);
      await f.store.putPolicy(policy('bikes', 90), 2);
      expect((await f.store.getPolicy('bikes')).data.windowDays).toBe(90);
      expect((await f.store.listPolicies()).find((p) => p.policy.deployment === 'bikes')?.updatedAt).toBe(2);
      await f.store.deletePolicy('bikes');
      await expect(f.store.getPolicy('bikes')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/gyre retraining set bikes/) });
      await expect(f.store.deletePolicy('bikes')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('appends events and reads them newest first; guard rails count only retrainings that ran', async () => {
      const d = `ev-${Date.now()}`;
      const first = await f.store.appendEvent(event(d, 1_000, 'promoted'));
      expect(first).toMatchObject({ deployment: d, at: 1_000, outcome: 'promoted', version: 2, championVersion: 1, detail: { gate: { passed: true } } });
      await f.store.appendEvent(event(d, 2_000, 'skipped'));
      await f.store.appendEvent(event(d, 3_000, 'rejected'));
      await f.store.appendEvent(event(`${d}-other`, 3_500, 'failed'));
      expect((await f.store.events(d, 10)).map((e) => e.at)).toEqual([3_000, 2_000, 1_000]);
      expect((await f.store.events(d, 1)).map((e) => e.outcome)).toEqual(['rejected']);
      expect((await f.store.retrainingsSince(d, 1_500)).map((e) => e.outcome)).toEqual(['rejected']);
      expect((await f.store.retrainingsSince(d, 0)).map((e) => e.outcome)).toEqual(['promoted', 'rejected']);
    });
  });
}
