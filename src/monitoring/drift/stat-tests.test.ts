/**
 * Gyre's drift statistics against scipy/numpy, on fixtures generated once by
 * scripts/drift-fixtures.py (scipy 1.10, numpy 1.24): 1e-9 relative for scores, 1e-6 for p-values.
 */
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/scipy-reference.json' with { type: 'json' };
import { chiSquare, hellinger, jensenShannon, klDivergence, ksStatistic, proportionZTest, psi, wasserstein, wassersteinNormed } from './stat-tests.js';
import { sturgesEdges } from './binning.js';
import { ksTwoSample } from './ks-p-value.js';

const close = (actual: number, expected: number | string, rel: number) => {
  if (expected === 'Infinity') return expect(actual).toBe(Infinity);
  const e = expected as number;
  if (e === 0) return expect(Math.abs(actual)).toBeLessThan(1e-12);
  expect(Math.abs(actual - e) / Math.abs(e)).toBeLessThan(rel);
};

type Case = Record<string, unknown> & { name: string; kind: string; reference: (number | string)[]; current: (number | string)[] };

describe('drift statistics match scipy', () => {
  for (const c of fixtures.cases as Case[]) {
    it(`${c.kind}: ${c.name}`, () => {
      const numeric = c.kind === 'numeric';
      const ref = c.reference;
      const cur = c.current;
      if (c.kind === 'ks') {
        const r = ref as number[];
        const k = cur as number[];
        const result = ksTwoSample(ksStatistic(r, k), r.length, k.length);
        expect(result.mode).toBe(c.ks_mode);
        close(result.statistic, c.ks_statistic as number, 1e-12);
        close(result.pValue, c.ks_p as number, 1e-6);
        return;
      }
      if (numeric) {
        const r = ref as number[];
        const k = cur as number[];
        close(wasserstein(r, k), c.wasserstein as number, 1e-9);
        close(wassersteinNormed(r, k), c.wasserstein_normed as number, 1e-9);
        close(ksStatistic(r, k), c.ks_statistic as number, 1e-12);
        if (c.sturges_edges) (c.sturges_edges as number[]).forEach((e, i) => close(sturgesEdges([...r, ...k])[i]!, e, 1e-12));
      } else {
        const chi = chiSquare(ref, cur);
        close(chi.statistic, c.chi2_statistic as number, 1e-9);
        close(chi.pValue, c.chi2_p as number, 1e-6);
        const z = proportionZTest(ref, cur);
        close(z.statistic, c.z_statistic as number, 1e-9);
        close(z.pValue, c.z_p as number, 1e-6);
      }
      close(psi(ref, cur, numeric), c.psi as number, 1e-9);
      close(klDivergence(ref, cur, numeric), c.kl as number, 1e-9);
      close(jensenShannon(ref, cur, numeric), c.jensenshannon as number, 1e-9);
      close(hellinger(ref, cur, numeric), c.hellinger as number, 1e-9);
    });
  }
});
