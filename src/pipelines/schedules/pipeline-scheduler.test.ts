import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { PipelineScheduler } from './pipeline-scheduler.js';
import { pipelineFixture } from '../test-support/pipeline-fixture.js';
import type { PipelineFixture } from '../test-support/pipeline-fixture.js';

let f: PipelineFixture;
let file: string;
beforeEach(async () => {
  f = await pipelineFixture();
  file = path.join(f.home, 'nightly.yaml');
  fs.writeFileSync(file, 'name: nightly\nsteps:\n  hello:\n    cmd: echo hello\n');
});
afterEach(() => f.close());

const at = (iso: string) => Date.parse(iso);
const scheduler = () => new PipelineScheduler(f.pipelines, f.services.scheduleStore, { onError: (e) => { throw e; } });
const runsOf = async () => (await f.pipelines.list({ pipeline: 'nightly', limit: 1000 })).map((r) => r.trigger).sort();

describe('pipeline schedules', () => {
  it('fires at the cron time in its time zone (09:00 Paris is 08:00 UTC in winter)', async () => {
    const s = scheduler();
    const added = await s.add({ name: 'morning', pipelineFile: file, cron: '0 9 * * *', timezone: 'Europe/Paris' }, at('2026-01-10T07:00:00Z'));
    expect(new Date(added.nextFireAt).toISOString()).toBe('2026-01-10T08:00:00.000Z');
    expect(await s.tick(at('2026-01-10T07:59:59Z'))).toEqual([]);
    expect(await s.tick(at('2026-01-10T08:00:01Z'))).toHaveLength(1);
    await s.settled();
    expect(await runsOf()).toEqual(['schedule:morning@2026-01-10T08:00:00.000Z']);
  });

  it('restarting the scheduler neither duplicates nor loses a run: a fire recorded just before a crash is started once by the next scheduler', async () => {
    const first = scheduler();
    await first.add({ name: 'hourly', pipelineFile: file, cron: '0 * * * *' }, at('2026-01-10T07:30:00Z'));
    // The first scheduler records 08:00 and "crashes" before starting its run.
    await first.recordDue(at('2026-01-10T08:00:05Z'));
    expect(await runsOf()).toEqual([]);
    // A restarted scheduler (and a second one ticking at the same moment) start it exactly once.
    const restarted = scheduler();
    const other = scheduler();
    await Promise.all([restarted.tick(at('2026-01-10T08:00:06Z')), other.tick(at('2026-01-10T08:00:06Z'))]);
    await Promise.all([restarted.settled(), other.settled()]);
    await restarted.tick(at('2026-01-10T08:00:07Z'));
    await restarted.settled();
    expect(await runsOf()).toEqual(['schedule:hourly@2026-01-10T08:00:00.000Z']);
    expect(await f.services.scheduleStore.unstartedFires()).toEqual([]);
  });

  it('applies the missed-run policy after downtime: latest runs once, all backfills each, skip runs none', async () => {
    const s = scheduler();
    for (const policy of ['latest', 'all', 'skip'] as const) await s.add({ name: `every-${policy}`, pipelineFile: file, cron: '0 * * * *', missedPolicy: policy }, at('2026-01-10T00:30:00Z'));
    // Down from 00:30 to 04:30: 01:00, 02:00, 03:00 and 04:00 were missed.
    await s.tick(at('2026-01-10T04:30:00Z'));
    await s.settled();
    const triggers = await runsOf();
    expect(triggers.filter((t) => t.startsWith('schedule:every-latest'))).toEqual(['schedule:every-latest@2026-01-10T04:00:00.000Z']);
    expect(triggers.filter((t) => t.startsWith('schedule:every-all'))).toHaveLength(4);
    expect(triggers.filter((t) => t.startsWith('schedule:every-skip'))).toEqual([]);
    expect(new Date((await f.services.scheduleStore.getSchedule('every-skip')).nextFireAt).toISOString()).toBe('2026-01-10T05:00:00.000Z');
  });

  it('refuses a bad cron, time zone, policy or pipeline file, storing nothing', async () => {
    const s = scheduler();
    await expect(s.add({ name: 'x', pipelineFile: file, cron: '61 * * * *' })).rejects.toThrow(/is not a cron expression/);
    await expect(s.add({ name: 'x', pipelineFile: file, cron: '0 * * * *', timezone: 'Mars/Olympus' })).rejects.toThrow(/is not a time zone/);
    await expect(s.add({ name: 'x', pipelineFile: file, cron: '0 * * * *', missedPolicy: 'some' as never })).rejects.toThrow(/Missed-run policy 'some' is unknown/);
    await expect(s.add({ name: 'x', pipelineFile: path.join(f.home, 'none.yaml'), cron: '0 * * * *' })).rejects.toThrow(/cannot be read/);
    expect(await f.services.scheduleStore.listSchedules()).toEqual([]);
  });
});
