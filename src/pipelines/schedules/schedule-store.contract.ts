/** What every ScheduleStore backend must do. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleStore } from './schedule-store.js';

export interface ScheduleStoreFixture {
  store: ScheduleStore;
  cleanup(): Promise<void>;
}

const schedule = (name: string, nextFireAt = 1000) => ({ name, pipelineFile: '/p.yaml', cron: '0 * * * *', timezone: 'UTC', missedPolicy: 'latest' as const, nextFireAt, createdAt: 1 });
const fire = (s: string, fireAt: number) => ({ schedule: s, fireAt, runId: `${s}-${fireAt}`, recordedAt: 5 });

export function scheduleStoreContract(name: string, make: () => Promise<ScheduleStoreFixture>): void {
  describe(`ScheduleStore contract: ${name}`, () => {
    let f: ScheduleStoreFixture;
    beforeAll(async () => (f = await make()));
    afterAll(() => f?.cleanup());

    it('creates, reads, lists and deletes schedules; a taken name is ALREADY_EXISTS', async () => {
      await f.store.createSchedule(schedule('nightly'));
      expect(await f.store.getSchedule('nightly')).toEqual(schedule('nightly'));
      await expect(f.store.createSchedule(schedule('nightly'))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      expect((await f.store.listSchedules()).map((s) => s.name)).toContain('nightly');
      await f.store.deleteSchedule('nightly');
      await expect(f.store.getSchedule('nightly')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(f.store.deleteSchedule('nightly')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('records fires once: of two schedulers that saw the same due time, only the first writes', async () => {
      await f.store.createSchedule(schedule('hourly', 1000));
      expect(await f.store.recordFires('hourly', 1000, [fire('hourly', 1000)], 2000)).toBe(true);
      expect(await f.store.recordFires('hourly', 1000, [fire('hourly', 1000)], 2000)).toBe(false);
      expect((await f.store.getSchedule('hourly')).nextFireAt).toBe(2000);
      expect(await f.store.listFires('hourly')).toEqual([fire('hourly', 1000)]);
      // No pipeline run exists for it yet: a scheduler that restarts must start it.
      expect((await f.store.unstartedFires()).filter((x) => x.schedule === 'hourly')).toEqual([fire('hourly', 1000)]);
    });

    it('keeps triggers with a compare-and-set read cursor', async () => {
      const t = { name: 'on-alias', pipelineFile: '/p.yaml', source: 'registry', filter: { eventTypes: ['model_alias.*'] }, cursor: 0, createdAt: 1 };
      await f.store.createTrigger(t);
      await expect(f.store.createTrigger(t)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      expect(await f.store.advanceTrigger('on-alias', 0, 7)).toBe(true);
      expect(await f.store.advanceTrigger('on-alias', 0, 9)).toBe(false);
      expect(await f.store.getTrigger('on-alias')).toEqual({ ...t, cursor: 7 });
      await f.store.deleteTrigger('on-alias');
      expect(await f.store.listTriggers()).toEqual([]);
    });
  });
}
