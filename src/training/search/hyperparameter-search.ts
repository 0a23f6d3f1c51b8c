/**
 * Hyperparameter search: propose parameters (random or TPE), run trials on worker threads, and
 * optionally prune with successive halving — every configuration first trains with a small
 * boosting budget, only the best 1/η of each rung goes on to η times the budget, up to the full
 * `maxIter`. Random proposals (and each halving rung) queue on the workers with no barrier; TPE
 * proposes one batch (a trial per thread) at a time. Either way the same seed, space and data give
 * the same trials in the same order (TPE: with the same thread count). A time budget stops starting
 * new trials; it trades that reproducibility for a bound on wall time (documented).
 */
import { invalidArgument } from '../../core/errors.js';
import { Rng } from '../random.js';
import type { ParamValues } from '../fitted-model.js';
import { sampleRandom, sampleTpe } from './samplers.js';
import type { FinishedTrial, SamplerName } from './samplers.js';
import type { SearchSpace } from './search-space.js';
import { TrialPool } from './trial-pool.js';
import type { TrialData, TrialResult } from './trial.js';

export interface SearchOptions {
  space: SearchSpace;
  sampler: SamplerName;
  /** Budget: configurations to try. */
  trials: number;
  /** Budget: stop starting new trials after this many seconds. */
  timeBudgetSeconds?: number;
  /** Successive halving over GBDT's `maxIter` with reduction factor η. */
  halving?: { eta: number; minIter: number };
  threads: number;
  seed: number;
  /** Parameters held fixed (from --params). */
  fixed: ParamValues;
}

export interface TrialRecord {
  index: number;
  rung: number;
  params: ParamValues;
  result: TrialResult;
  /** The objective as a loss (lower is better). */
  loss: number;
}

export interface SearchOutcome {
  metric: string;
  direction: 'minimize' | 'maximize';
  best: TrialRecord;
  trials: TrialRecord[];
  stoppedBy: 'trials' | 'time';
  seconds: number;
}

const HIGHER_IS_BETTER = new Set(['accuracy', 'roc_auc', 'pr_auc', 'r2', 'f1', 'precision', 'recall']);
const LOWER_IS_BETTER = new Set(['rmse', 'mae', 'mape', 'log_loss']);
export const SEARCH_METRICS = [...LOWER_IS_BETTER, ...HIGHER_IS_BETTER];

export function directionOf(metric: string): 'minimize' | 'maximize' {
  if (HIGHER_IS_BETTER.has(metric)) return 'maximize';
  if (LOWER_IS_BETTER.has(metric)) return 'minimize';
  throw invalidArgument(`--search-metric '${metric}' is not one Gyre can optimise; use one of ${SEARCH_METRICS.join(', ')}.`, { field: 'searchMetric' });
}

export function checkSearchOptions(o: SearchOptions, kind: TrialData['kind']): void {
  if (!(Number.isInteger(o.trials) && o.trials >= 1 && o.trials <= 10_000)) throw invalidArgument(`--trials must be an integer in [1, 10000], got ${o.trials}.`, { field: 'trials' });
  if (o.timeBudgetSeconds !== undefined && !(o.timeBudgetSeconds > 0)) throw invalidArgument(`--time-budget must be a positive number of seconds, got ${o.timeBudgetSeconds}.`, { field: 'timeBudget' });
  if (!(Number.isInteger(o.threads) && o.threads >= 1 && o.threads <= 64)) throw invalidArgument(`--threads must be an integer in [1, 64], got ${o.threads}.`, { field: 'threads' });
  if (o.sampler !== 'random' && o.sampler !== 'tpe') throw invalidArgument(`--search-method must be random or tpe, got '${o.sampler}'.`, { field: 'searchMethod' });
  if (o.halving) {
    if (kind !== 'gbdt') throw invalidArgument('Successive halving prunes on boosting iterations, so it needs --model gbdt.', { field: 'halving' });
    if (o.space.some((d) => d.name === 'maxIter')) throw invalidArgument('With successive halving, maxIter is the budget being halved; remove it from --search (set the full budget with --params maxIter=N).', { field: 'search' });
    if (!(o.halving.eta >= 2)) throw invalidArgument(`The halving factor η must be ≥ 2, got ${o.halving.eta}.`, { field: 'halving' });
  }
}

export async function hyperparameterSearch(data: TrialData, o: SearchOptions, onTrial: (t: TrialRecord) => Promise<void>): Promise<SearchOutcome> {
  checkSearchOptions(o, data.kind);
  const direction = directionOf(data.metric);
  const lossOf = (r: TrialResult) => (Number.isFinite(r.value) ? (direction === 'minimize' ? r.value : -r.value) : Infinity);
  const rng = new Rng(o.seed);
  const started = performance.now();
  const outOfTime = () => o.timeBudgetSeconds !== undefined && (performance.now() - started) / 1000 >= o.timeBudgetSeconds;
  const fullIter = Number(o.fixed.maxIter ?? 100);
  const rungBudgets = o.halving ? halvingBudgets(fullIter, o.halving.eta, o.halving.minIter) : [fullIter];
  const pool = new TrialPool(data, Math.min(o.threads, o.trials));
  const trials: TrialRecord[] = [];
  let stoppedBy = 'trials' as SearchOutcome['stoppedBy'];
  /**
   * Runs trials on the pool as workers free up (no barrier between them) and reports them in
   * order; a trial whose turn comes after the time budget is not started.
   */
  const runAll = async (items: { params: ParamValues; rung: number }[]) => {
    const started = items.map((b) => pool.run({ ...o.fixed, ...b.params, ...(o.halving ? { maxIter: rungBudgets[b.rung]! } : {}) }, () => !outOfTime()));
    for (let i = 0; i < items.length; i++) {
      const result = await started[i]!;
      if (!result) {
        stoppedBy = 'time';
        continue;
      }
      const t: TrialRecord = { index: trials.length, rung: items[i]!.rung, params: items[i]!.params, result, loss: lossOf(result) };
      trials.push(t);
      await onTrial(t);
    }
  };
  try {
    // Rung 0: the proposals. Random proposals do not depend on results, so they all queue at once;
    // TPE proposes one batch (a trial per thread) at a time from every finished trial, which keeps it
    // reproducible whatever finishes first.
    if (o.sampler === 'random') {
      await runAll(Array.from({ length: o.trials }, () => ({ params: sampleRandom(o.space, rng), rung: 0 })));
    } else {
      while (trials.length < o.trials && stoppedBy !== 'time') {
        if (outOfTime()) {
          stoppedBy = 'time';
          break;
        }
        const history: FinishedTrial[] = trials.map((t) => ({ params: t.params, loss: t.loss }));
        const size = Math.min(pool.threads, o.trials - trials.length);
        await runAll(Array.from({ length: size }, () => ({ params: sampleTpe(o.space, history, rng), rung: 0 })));
      }
    }
    // Later rungs: the best 1/η of the previous rung, with η times the boosting budget.
    for (let rung = 1; rung < rungBudgets.length && stoppedBy !== 'time' && !outOfTime(); rung++) {
      const previous = trials.filter((t) => t.rung === rung - 1).sort((a, b) => a.loss - b.loss || a.index - b.index);
      const keep = previous.slice(0, Math.max(1, Math.ceil(previous.length / o.halving!.eta))).filter((t) => Number.isFinite(t.loss));
      await runAll(keep.map((t) => ({ params: t.params, rung })));
    }
  } finally {
    await pool.close();
  }
  const topRung = Math.max(...trials.map((t) => t.rung));
  const finished = trials.filter((t) => t.rung === topRung && Number.isFinite(t.loss));
  if (finished.length === 0) {
    const firstError = trials.find((t) => t.result.error)?.result.error;
    throw invalidArgument(`No search trial produced '${data.metric}'${firstError ? `; the first failure: ${firstError}` : ''}.`, { field: 'search' });
  }
  const best = finished.reduce((a, b) => (b.loss < a.loss ? b : a));
  return { metric: data.metric, direction, best, trials, stoppedBy, seconds: (performance.now() - started) / 1000 };
}

/** Boosting budgets per rung, ending at the full budget: e.g. 300 with η = 3, min 10 → 11, 33, 100, 300. */
export function halvingBudgets(full: number, eta: number, minIter: number): number[] {
  const budgets = [full];
  while (budgets[0]! / eta >= minIter) budgets.unshift(Math.max(1, Math.round(budgets[0]! / eta)));
  return budgets;
}
