import { describe, expect, it } from 'vitest';
import { chunks, familyOf, FAST_ITEM_MS, FIRST_SEEN, ItemPace, JOB_BUDGET_MS, MAX_ITEMS_PER_JOB } from './item-batching.js';
import type { SharingOptions } from './item-batching.js';
import { distributedDispatcherFromEnv } from './dispatcher-from-env.js';

/** A pace with a memory of its own: the process-wide one is shared by every dispatcher. */
const fresh = (opts: SharingOptions = {}) => new ItemPace(opts, new Map());

describe('item pace: when fan-out items share a job', () => {
  it('sends every item alone until enough have ended to know their pace', () => {
    const pace = fresh();
    for (let i = 0; i < FIRST_SEEN - 1; i++) pace.ended('r\u0000map', 0.1);
    expect(pace.itemsPerJob('r\u0000map')).toBe(1);
    pace.ended('r\u0000map', 0.1);
    expect(pace.itemsPerJob('r\u0000map')).toBe(MAX_ITEMS_PER_JOB);
    expect(pace.itemsPerJob('r\u0000other')).toBe(1);
  });

  it('sizes shared jobs by the items’ pace and keeps slow items alone', () => {
    const pace = fresh();
    for (let i = 0; i < FIRST_SEEN; i++) pace.ended('fast', 0.8);
    expect(pace.itemsPerJob('fast')).toBe(Math.floor(JOB_BUDGET_MS / 0.8)); // about JOB_BUDGET_MS of work per job
    for (let i = 0; i < FIRST_SEEN; i++) pace.ended('slow', FAST_ITEM_MS);
    expect(pace.itemsPerJob('slow')).toBe(1);
  });

  it('notices when items slow down, and a negative duration (clock step) counts as zero', () => {
    const pace = fresh();
    for (let i = 0; i < 50; i++) pace.ended('f', 0.1);
    expect(pace.itemsPerJob('f')).toBeGreaterThan(1);
    for (let i = 0; i < 10; i++) pace.ended('f', 1000);
    expect(pace.itemsPerJob('f')).toBe(1);
    const other = fresh();
    for (let i = 0; i < FIRST_SEEN; i++) other.ended('g', -5);
    expect(other.itemsPerJob('g')).toBe(MAX_ITEMS_PER_JOB);
  });

  it('can share from the first item, or never; bad options are refused', () => {
    expect(fresh({ firstSeen: 0 }).itemsPerJob('new')).toBe(MAX_ITEMS_PER_JOB);
    const off = fresh({ maxItemsPerJob: 1 });
    for (let i = 0; i < 50; i++) off.ended('f', 0.1);
    expect(off.itemsPerJob('f')).toBe(1);
    expect(() => fresh({ maxItemsPerJob: 0 })).toThrow(/GYRE_MAX_ITEMS_PER_JOB/);
    expect(() => fresh({ maxItemsPerJob: Number('many') })).toThrow(/whole number/);
    expect(() => fresh({ firstSeen: -1 })).toThrow(/firstSeen/);
  });

  it('refuses a bad GYRE_MAX_ITEMS_PER_JOB before connecting to anything', async () => {
    // Port 1 answers nothing: reaching Redis would fail differently (UNAVAILABLE).
    await expect(distributedDispatcherFromEnv({ GYRE_REDIS_URL: 'redis://127.0.0.1:1', GYRE_MAX_ITEMS_PER_JOB: 'all' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/GYRE_MAX_ITEMS_PER_JOB/) });
  });

  it('is remembered by the process across dispatchers, so the next run of a definition need not learn it again', () => {
    const first = new ItemPace();
    for (let i = 0; i < FIRST_SEEN; i++) first.ended('remembered-family', 0.1);
    expect(new ItemPace().itemsPerJob('remembered-family')).toBe(MAX_ITEMS_PER_JOB);
  });

  it('only items of a fan-out have a family, one per definition and mapped step', () => {
    const run = (digest: string) => ({ pipeline: 'p', definition: { digest } }) as Parameters<typeof familyOf>[0];
    expect(familyOf(run('d1'), null)).toBeNull();
    // A rerun of the same definition keeps the pace; a changed definition starts afresh.
    expect(familyOf(run('d1'), 'train')).toBe(familyOf(run('d1'), 'train'));
    expect(familyOf(run('d1'), 'train')).not.toBe(familyOf(run('d2'), 'train'));
    expect(familyOf(run('d1'), 'train')).not.toBe(familyOf(run('d1'), 'score'));
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
