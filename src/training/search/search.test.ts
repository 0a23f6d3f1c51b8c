import { describe, expect, it } from 'vitest';
import { parseSearchSpace, fromUnit, toUnit } from './search-space.js';
import { sampleRandom, sampleTpe } from './samplers.js';
import type { FinishedTrial } from './samplers.js';
import { halvingBudgets, hyperparameterSearch } from './hyperparameter-search.js';
import type { SearchOptions } from './hyperparameter-search.js';
import { Rng } from '../random.js';
import { createFrame, selectRows } from '../dataset/frame.js';

describe('search space', () => {
  it('parses ranges (log, int) and choices, checked against the trainer parameters', () => {
    const space = parseSearchSpace('learningRate=0.02..0.3:log, maxLeafNodes=8..128:int:log, maxDepth=4|6|null, subsample=0.5..1', 'gbdt');
    expect(space).toEqual([
      { name: 'learningRate', kind: 'range', lo: 0.02, hi: 0.3, log: true, int: false },
      { name: 'maxLeafNodes', kind: 'range', lo: 8, hi: 128, log: true, int: true },
      { name: 'maxDepth', kind: 'choice', values: [4, 6, null] },
      { name: 'subsample', kind: 'range', lo: 0.5, hi: 1, log: false, int: false },
    ]);
    expect(parseSearchSpace('default', 'linear')).toEqual([{ name: 'alpha', kind: 'range', lo: 0.0001, hi: 100, log: true, int: false }]);
  });

  it('refuses unknown names, bad ranges and out-of-range bounds, naming the parameter', () => {
    expect(() => parseSearchSpace('learningRat=0.1..0.2', 'gbdt')).toThrow(/'learningRat' is not a gbdt parameter; valid: learningRate/);
    expect(() => parseSearchSpace('learningRate=0.3..0.1', 'gbdt')).toThrow(/lo < hi/);
    expect(() => parseSearchSpace('l2Regularization=0..5:log', 'gbdt')).toThrow(/:log range must be above 0/);
    expect(() => parseSearchSpace('subsample=0.5..2', 'gbdt')).toThrow(/subsample: 2 is outside.*\(0, 1\]/);
    expect(() => parseSearchSpace('maxDepth=4|banana', 'gbdt')).toThrow(/choice "banana"/);
    expect(() => parseSearchSpace('alpha', 'linear')).toThrow(/not name=range/);
    expect(() => parseSearchSpace('alpha=1..2,alpha=3..4', 'linear')).toThrow(/twice/);
    expect(() => parseSearchSpace(' , ', 'linear')).toThrow(/empty/);
  });

  it('maps to and from the unit interval (log-aware, integers rounded and clamped)', () => {
    const d = { name: 'x', kind: 'range' as const, lo: 1, hi: 100, log: true, int: false };
    expect(fromUnit(d, 0.5)).toBeCloseTo(10, 10);
    expect(toUnit(d, 10)).toBeCloseTo(0.5, 10);
    expect(fromUnit({ ...d, int: true }, 1.3)).toBe(100);
  });
});

describe('samplers', () => {
  const space = parseSearchSpace('learningRate=0.01..1:log,maxLeafNodes=2..64:int,maxDepth=3|6|null', 'gbdt');
  // A known optimum: learningRate 0.1, maxLeafNodes 31, maxDepth 6.
  const loss = (p: Record<string, unknown>) => (Math.log10(p.learningRate as number) + 1) ** 2 + (((p.maxLeafNodes as number) - 31) / 31) ** 2 + (p.maxDepth === 6 ? 0 : 0.3);

  it('are deterministic for a seed', () => {
    const a = Array.from({ length: 5 }, ((r) => () => sampleRandom(space, r))(new Rng(7)));
    const b = Array.from({ length: 5 }, ((r) => () => sampleRandom(space, r))(new Rng(7)));
    expect(a).toEqual(b);
  });

  it('TPE finds better points than random search with the same budget (5 seeds, 40 trials)', () => {
    const bestOf = (sampler: 'random' | 'tpe', seed: number) => {
      const rng = new Rng(seed);
      const history: FinishedTrial[] = [];
      for (let i = 0; i < 40; i++) {
        const params = sampler === 'tpe' ? sampleTpe(space, history, rng) : sampleRandom(space, rng);
        history.push({ params, loss: loss(params) });
      }
      return Math.min(...history.map((h) => h.loss));
    };
    const seeds = [1, 2, 3, 4, 5];
    const mean = (s: 'random' | 'tpe') => seeds.reduce((acc, seed) => acc + bestOf(s, seed), 0) / seeds.length;
    expect(mean('tpe')).toBeLessThan(mean('random'));
  });
});

describe('hyperparameterSearch', () => {
  // y = 2x + 10·[c = b] + small noise; 400 rows.
  const n = 400;
  const x = Float64Array.from({ length: n }, (_, i) => (i * 37) % 100);
  const codes = Int32Array.from({ length: n }, (_, i) => i % 3);
  const y = Float64Array.from({ length: n }, (_, i) => 2 * x[i]! + (codes[i] === 1 ? 10 : 0) + ((i * 17) % 7) / 7);
  const frame = createFrame([
    { kind: 'numeric', name: 'x', values: x },
    { kind: 'categorical', name: 'c', codes, categories: ['a', 'b', 'c'] },
    { kind: 'numeric', name: 'y', values: y },
  ]);
  const idx = (from: number, to: number) => Uint32Array.from({ length: to - from }, (_, i) => from + i);
  const data = { kind: 'gbdt' as const, target: 'y', selection: {}, train: selectRows(frame, idx(0, 320)), valid: selectRows(frame, idx(320, 400)), metric: 'rmse' };
  const options: SearchOptions = { space: parseSearchSpace('learningRate=0.05..0.5:log,maxLeafNodes=4..32:int', 'gbdt'), sampler: 'tpe', trials: 6, threads: 2, seed: 11, fixed: { maxIter: 40, minSamplesLeaf: 5 } };

  it('runs the budget on worker threads, reproducibly, and returns the best trial', async () => {
    const seen: number[] = [];
    const a = await hyperparameterSearch(data, options, async (t) => void seen.push(t.index));
    const b = await hyperparameterSearch(data, options, async () => {});
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(a.trials.map((t) => [t.params, t.result.value])).toEqual(b.trials.map((t) => [t.params, t.result.value]));
    expect(a.best.result.value).toBe(Math.min(...a.trials.map((t) => t.result.value)));
    expect(a.best.result.value).toBeLessThan(10);
    // In process (one thread) the same seed gives the same trials: threads change speed, not results.
    const inProcess = await hyperparameterSearch(data, { ...options, threads: 1, sampler: 'random' }, async () => {});
    const twoThreads = await hyperparameterSearch(data, { ...options, threads: 2, sampler: 'random' }, async () => {});
    expect(inProcess.trials.map((t) => t.result.value)).toEqual(twoThreads.trials.map((t) => t.result.value));
    expect(new Set(inProcess.trials.map((t) => t.result.thread))).toEqual(new Set([0]));
    expect(new Set(twoThreads.trials.map((t) => t.result.thread)).size).toBe(2);
    expect(twoThreads.trials.every((t) => t.result.thread !== 0)).toBe(true);
  });

  it('successive halving promotes the best third of each rung to three times the iterations', async () => {
    expect(halvingBudgets(300, 3, 10)).toEqual([11, 33, 100, 300]);
    expect(halvingBudgets(40, 3, 10)).toEqual([13, 40]);
    const r = await hyperparameterSearch(data, { ...options, trials: 9, halving: { eta: 3, minIter: 4 } }, async () => {});
    const perRung = [0, 1, 2].map((rung) => r.trials.filter((t) => t.rung === rung).length);
    expect(perRung).toEqual([9, 3, 1]);
    expect(r.best.rung).toBe(2);
    const rung1 = r.trials.filter((t) => t.rung === 1).map((t) => t.params);
    const bestOfRung0 = [...r.trials.filter((t) => t.rung === 0)].sort((p, q) => p.loss - q.loss).slice(0, 3).map((t) => t.params);
    expect(rung1).toEqual(bestOfRung0);
  });

  it('a time budget stops starting new trials', async () => {
    const r = await hyperparameterSearch(data, { ...options, trials: 1000, timeBudgetSeconds: 0.3 }, async () => {});
    expect(r.stoppedBy).toBe('time');
    expect(r.trials.length).toBeLessThan(1000);
  });

  it('refuses bad budgets and halving on the wrong trainer, before any trial', async () => {
    await expect(hyperparameterSearch(data, { ...options, trials: 0 }, async () => {})).rejects.toThrow(/--trials must be/);
    await expect(hyperparameterSearch({ ...data, kind: 'linear' }, { ...options, space: parseSearchSpace('alpha=0.1..10', 'linear'), halving: { eta: 3, minIter: 5 } }, async () => {})).rejects.toThrow(/needs --model gbdt/);
    await expect(hyperparameterSearch(data, { ...options, space: parseSearchSpace('maxIter=10..50:int', 'gbdt'), halving: { eta: 3, minIter: 5 } }, async () => {})).rejects.toThrow(/maxIter is the budget/);
    await expect(hyperparameterSearch({ ...data, metric: 'banana' }, options, async () => {})).rejects.toThrow(/--search-metric 'banana'/);
  });
});
