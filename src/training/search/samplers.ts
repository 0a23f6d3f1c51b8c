/**
 * Where the next trials go. `random` samples the space uniformly (log-uniformly for :log ranges);
 * `tpe` is the Tree-structured Parzen Estimator (Bergstra et al. 2011, as hyperopt and Optuna use it):
 * after a few random start-up trials, the finished ones are split into the best γ share ("good") and
 * the rest; per dimension a Parzen density is fitted to each group, candidates are drawn from the good
 * density and the one maximising l(x) / g(x) is proposed. Dimensions are treated independently.
 * Everything draws from one seeded Rng, so the same seed proposes the same trials.
 */
import type { Rng } from '../random.js';
import type { ParamValues } from '../fitted-model.js';
import { fromUnit, toUnit } from './search-space.js';
import type { ParamDimension, SearchSpace } from './search-space.js';

export type SamplerName = 'random' | 'tpe';

export interface FinishedTrial {
  params: ParamValues;
  /** Lower is better (higher-is-better metrics are negated by the caller). */
  loss: number;
}

export interface TpeOptions {
  /** Random trials before the model takes over. */
  startupTrials: number;
  /** Candidates drawn from l(x) per proposal. */
  candidates: number;
}

export const TPE_DEFAULTS: TpeOptions = { startupTrials: 8, candidates: 24 };

function gaussian(rng: Rng): number {
  // Box-Muller; 1 − u keeps the logarithm finite.
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function sampleRandom(space: SearchSpace, rng: Rng): ParamValues {
  return Object.fromEntries(space.map((d) => [d.name, d.kind === 'range' ? fromUnit(d, rng.next()) : d.values[rng.int(d.values.length)]!]));
}

/** Parzen mixture over unit-interval points: one Gaussian per point plus a wide prior at the centre. */
class Parzen {
  private readonly sigma: number;
  constructor(private readonly points: number[]) {
    // Scott-like bandwidth that narrows as evidence accumulates, floored so it never collapses.
    this.sigma = Math.max(0.03, 1 / Math.pow(points.length + 1, 1 / 5) / 2);
  }
  density(x: number): number {
    let s = Math.exp(-0.5 * ((x - 0.5) / 1) ** 2) / 1; // prior N(0.5, 1)
    for (const p of this.points) s += Math.exp(-0.5 * ((x - p) / this.sigma) ** 2) / this.sigma;
    return s / (this.points.length + 1);
  }
  sample(rng: Rng): number {
    const k = rng.int(this.points.length + 1);
    const [mu, sd] = k === this.points.length ? [0.5, 1] : [this.points[k]!, this.sigma];
    return Math.min(1, Math.max(0, mu + sd * gaussian(rng)));
  }
}

function proposeRange(d: Extract<ParamDimension, { kind: 'range' }>, good: FinishedTrial[], bad: FinishedTrial[], rng: Rng, o: TpeOptions): number {
  const unit = (ts: FinishedTrial[]) => ts.map((t) => toUnit(d, Number(t.params[d.name])));
  const l = new Parzen(unit(good));
  const g = new Parzen(unit(bad));
  let best = 0.5;
  let bestScore = -Infinity;
  for (let i = 0; i < o.candidates; i++) {
    const x = l.sample(rng);
    const score = Math.log(l.density(x)) - Math.log(g.density(x));
    if (score > bestScore) [best, bestScore] = [x, score];
  }
  return fromUnit(d, best);
}

function proposeChoice(d: Extract<ParamDimension, { kind: 'choice' }>, good: FinishedTrial[], bad: FinishedTrial[], rng: Rng, o: TpeOptions): ParamValues[string] {
  // Laplace-smoothed category frequencies in each group.
  const weights = (ts: FinishedTrial[]) => d.values.map((v) => (ts.filter((t) => t.params[d.name] === v).length + 1) / (ts.length + d.values.length));
  const l = weights(good);
  const g = weights(bad);
  let best = 0;
  let bestScore = -Infinity;
  for (let i = 0; i < o.candidates; i++) {
    let r = rng.next();
    let k = 0;
    while (k < l.length - 1 && r >= l[k]!) r -= l[k++]!;
    const score = Math.log(l[k]!) - Math.log(g[k]!);
    if (score > bestScore) [best, bestScore] = [k, score];
  }
  return d.values[best]!;
}

export function sampleTpe(space: SearchSpace, history: readonly FinishedTrial[], rng: Rng, o: TpeOptions = TPE_DEFAULTS): ParamValues {
  const usable = history.filter((t) => Number.isFinite(t.loss));
  if (usable.length < o.startupTrials) return sampleRandom(space, rng);
  // Stable sort: ties keep trial order, so the split is reproducible.
  const sorted = [...usable].sort((a, b) => a.loss - b.loss);
  const nGood = Math.min(25, Math.max(1, Math.ceil(0.25 * sorted.length)));
  const good = sorted.slice(0, nGood);
  const bad = sorted.slice(nGood);
  return Object.fromEntries(space.map((d) => [d.name, d.kind === 'range' ? proposeRange(d, good, bad, rng, o) : proposeChoice(d, good, bad, rng, o)]));
}
