/**
 * Scoring a window against a stored profile gives what `columnDrift` gives on the raw reference:
 * the same test, threshold and verdict, and the same score to 1e-9 relative while the profile is
 * exact (≤ 10,000 distinct reference values per numeric column; categories always). Beyond that the
 * numeric reference is a 10,000-point quantile sketch (exact 1,000-value tails): verdicts must still agree, with stated
 * tolerances (docs/monitoring.md): Wasserstein within 1% relative, KS p-value computed from a D
 * within 1e-4, binned distances (JS, PSI, KL, Hellinger) within 0.001 absolute.
 */
import { describe, expect, it } from 'vitest';
import { columnDrift } from '../drift/column-drift.js';
import type { ColumnDriftOptions, DriftMethod } from '../drift/column-drift.js';
import { fitProfile } from './fit-profile.js';
import { scoreProfile } from './score-profile.js';
import { rejection } from '../../test-support/expect-invalid-argument.js';

// A seeded generator, so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const gen = (n: number, seed: number, f: (r: () => number, i: number) => unknown) => {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => f(r, i));
};

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

function compare(name: string, ref: unknown[], cur: unknown[], numeric: boolean, options: ColumnDriftOptions = {}) {
  const profile = fitProfile({ source: 't', kinds: { [name]: numeric ? 'numeric' : 'categorical' }, columns: { [name]: ref } });
  const stored = JSON.parse(JSON.stringify(profile)); // scoring works from what the store hands back
  const got = scoreProfile(stored, { [name]: cur }, { perColumn: { [name]: options } }).columns[0]!;
  const want = columnDrift(name, ref, cur, numeric, options);
  return { got, want };
}

describe('scoring against a stored profile matches the raw drift code', () => {
  const small = gen(800, 1, (r) => Math.round(normal(r) * 100) / 10);
  const smallShift = gen(600, 2, (r) => Math.round((normal(r) + 0.3) * 100) / 10);
  const mid = gen(5000, 3, (r) => Math.round(normal(r) * 50));
  const midShift = gen(3000, 4, (r) => Math.round(normal(r) * 50 + 12));
  const cats = gen(5000, 5, (r) => ['a', 'b', 'c', 'd'][Math.floor(r() * r() * 4)]);
  const catsShift = gen(2000, 6, (r) => ['a', 'b', 'c', 'd', 'e'][Math.floor(r() * 5)]);

  const exactCases: [string, unknown[], unknown[], boolean, DriftMethod | undefined][] = [
    ['KS default, small reference', small, smallShift, true, undefined],
    ['KS default, no drift', small, gen(700, 7, (r) => Math.round(normal(r) * 100) / 10), true, undefined],
    ['chi-square on a 4-valued numeric', gen(500, 8, (r) => Math.floor(r() * 4)), gen(400, 9, (r) => Math.floor(r() * r() * 4)), true, undefined],
    ['z-test on a binary column', gen(900, 10, (r) => (r() < 0.3 ? 'yes' : 'no')), gen(300, 11, (r) => (r() < 0.45 ? 'yes' : 'no')), false, undefined],
    ['chi-square with a category only in current', gen(900, 12, (r) => ['x', 'y', 'z'][Math.floor(r() * 3)]), ['x', 'y', 'w', 'z'], false, undefined],
    ['normalized Wasserstein', mid, midShift, true, undefined],
    ['Jensen-Shannon (categorical)', cats, catsShift, false, undefined],
    ['PSI numeric Sturges', mid, midShift, true, 'psi'],
    ['KL numeric Sturges', mid, midShift, true, 'kl_div'],
    ['Hellinger numeric Sturges', mid, midShift, true, 'hellinger'],
    ['Jensen-Shannon numeric with values outside the reference range', mid, midShift.map((v) => (v as number) * 3), true, 'jensenshannon'],
    ['PSI one bin per value (≤ 20 distinct)', gen(5000, 13, (r) => Math.floor(r() * 12)), gen(1000, 14, (r) => Math.floor(r() * 14)), true, 'psi'],
    ['KS over n = 10,000 (asymptotic)', gen(12000, 15, (r) => Math.round(normal(r) * 300)), gen(11000, 16, (r) => Math.round(normal(r) * 300 + 4)), true, 'ks'],
    ['constant reference column', new Array(3000).fill(5), gen(500, 17, (r) => (r() < 0.9 ? 5 : 6)), true, undefined],
  ];
  for (const [title, ref, cur, numeric, method] of exactCases) {
    it(`exact profile: ${title}`, () => {
      const { got, want } = compare('c', ref, cur, numeric, method ? { method } : {});
      expect({ method: got.method, drifted: got.drifted, threshold: got.threshold, n: got.referenceCount, m: got.currentCount }).toEqual({ method: want.method, drifted: want.drifted, threshold: want.threshold, n: want.referenceCount, m: want.currentCount });
      expect(rel(got.score, want.score)).toBeLessThan(got.scoreKind === 'p_value' ? 1e-6 : 1e-9);
    });
  }

  it('a continuous reference of 50,000 rows is a quantile sketch: same verdicts, scores within the stated tolerance', () => {
    const ref = gen(50_000, 20, (r) => normal(r) * 10 + 100);
    const same = gen(20_000, 21, (r) => normal(r) * 10 + 100);
    const shifted = gen(20_000, 22, (r) => normal(r) * 12 + 103);
    const profile = fitProfile({ source: 't', kinds: { x: 'numeric' }, columns: { x: ref } });
    expect(profile.columns[0]).toMatchObject({ exact: false, count: 50_000 });
    for (const cur of [same, shifted]) {
      const w = compare('x', ref, cur, true);
      expect(w.got.method).toBe('wasserstein');
      expect(w.got.drifted).toBe(w.want.drifted);
      expect(rel(w.got.score, w.want.score)).toBeLessThan(0.01);
      for (const method of ['jensenshannon', 'psi', 'hellinger', 'kl_div'] as const) {
        const d = compare('x', ref, cur, true, { method });
        expect(d.got.drifted).toBe(d.want.drifted);
        expect(Math.abs(d.got.score - d.want.score)).toBeLessThan(0.001);
      }
    }
    expect(compare('x', ref, shifted, true).got.drifted).toBe(true);
    expect(compare('x', ref, same, true).got.drifted).toBe(false);
  });

  it('scores a whole window: dataset verdict, skipped columns with their reason, type errors left out', () => {
    const profile = fitProfile({ source: 'bikes@1', kinds: { temp: 'numeric', season: 'categorical', hum: 'numeric', gone: 'numeric' }, columns: { temp: mid, season: cats, hum: mid.map(() => null), gone: mid } });
    const report = scoreProfile(profile, { temp: [...midShift, 'oops'], season: catsShift, hum: midShift });
    expect(report.columns.map((c) => [c.column, c.drifted])).toEqual([
      ['temp', true],
      ['season', true],
    ]);
    expect(report.columns[0]!.currentCount).toBe(midShift.length);
    expect(report.skipped).toEqual([
      { column: 'hum', reason: 'no_values_in_reference' },
      { column: 'gone', reason: 'missing_from_current' },
    ]);
    expect(report).toMatchObject({ source: 'bikes@1', drifted: true, driftedShare: 1 });
    expect(scoreProfile(profile, { temp: [null, null], season: [] }).columns).toEqual([]);
  });

  it('refuses what cannot be scored, saying what to change', () => {
    const profile = fitProfile({ source: 't', kinds: { season: 'categorical' }, columns: { season: cats } });
    expect(rejection(() => scoreProfile(profile, { season: cats }, { perColumn: { season: { method: 'ks' } } })).message).toMatch(/needs a numeric column/);
    expect(rejection(() => scoreProfile(profile, { season: cats }, { columns: ['nope'] })).message).toMatch(/not in the reference profile; profiled columns: season/);
    expect(rejection(() => fitProfile({ source: 't', kinds: { id: 'categorical' }, columns: { id: gen(20_000, 1, (_r, i) => `id-${i}`) } })).message).toMatch(/more than 10000 distinct values/);
    expect(rejection(() => fitProfile({ source: 't', kinds: { x: 'numeric' }, columns: { x: [1, 'two'] } })).message).toMatch(/row 1 holds "two"/);
    expect(rejection(() => fitProfile({ source: 't', kinds: { x: 'numeric' }, columns: {} })).message).toMatch(/Column 'x' is not in the data/);
  });
});
