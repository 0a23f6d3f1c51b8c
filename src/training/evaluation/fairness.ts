/**
 * Group fairness of binary predictions, as Fairlearn defines them:
 * - demographic parity difference: max − min over groups of the selection rate P(ŷ = 1 | group);
 * - equalized odds difference: the larger of the max − min spreads of the true-positive rate and of
 *   the false-positive rate over groups.
 * Plus per-group accuracy and selection rate, logged as `<metric>/<attribute>:<group>`.
 */
import { invalidArgument } from '../../core/errors.js';

export interface GroupRates {
  group: string;
  count: number;
  selectionRate: number;
  truePositiveRate: number;
  falsePositiveRate: number;
  accuracy: number;
}

export function groupRates(group: ArrayLike<string>, positive: ArrayLike<boolean>, predicted: ArrayLike<boolean>): GroupRates[] {
  if (group.length !== positive.length || positive.length !== predicted.length) throw invalidArgument('Fairness inputs differ in length.');
  const acc = new Map<string, { n: number; sel: number; p: number; tp: number; neg: number; fp: number; ok: number }>();
  for (let i = 0; i < group.length; i++) {
    const g = group[i]!;
    let a = acc.get(g);
    if (!a) acc.set(g, (a = { n: 0, sel: 0, p: 0, tp: 0, neg: 0, fp: 0, ok: 0 }));
    a.n++;
    if (predicted[i]) a.sel++;
    if (positive[i]) {
      a.p++;
      if (predicted[i]) a.tp++;
    } else {
      a.neg++;
      if (predicted[i]) a.fp++;
    }
    if (positive[i] === predicted[i]) a.ok++;
  }
  return [...acc.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([g, a]) => ({ group: g, count: a.n, selectionRate: a.sel / a.n, truePositiveRate: a.p ? a.tp / a.p : 0, falsePositiveRate: a.neg ? a.fp / a.neg : 0, accuracy: a.ok / a.n }));
}

const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);

export function demographicParityDifference(rates: GroupRates[]): number {
  return spread(rates.map((r) => r.selectionRate));
}

export function equalizedOddsDifference(rates: GroupRates[]): number {
  return Math.max(spread(rates.map((r) => r.truePositiveRate)), spread(rates.map((r) => r.falsePositiveRate)));
}
