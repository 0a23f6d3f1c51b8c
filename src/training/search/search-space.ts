/**
 * A hyperparameter search space, written as `--search` takes it:
 *
 *   learningRate=0.02..0.3:log, maxLeafNodes=8..128:int:log, l2Regularization=0..5, maxDepth=4|6|null
 *
 * `lo..hi` is a uniform range (`:log` samples its logarithm uniformly, `:int` rounds), `a|b|c` a
 * choice. `default` picks a space per trainer. Every name and bound is checked against the
 * trainer's parameter rules before any trial runs, so a typo fails in milliseconds, not after an hour.
 */
import { invalidArgument } from '../../core/errors.js';
import { PARAM_RULES } from '../fitted-model.js';
import type { ModelKind } from '../fitted-model.js';

export type ParamDimension =
  | { name: string; kind: 'range'; lo: number; hi: number; log: boolean; int: boolean }
  | { name: string; kind: 'choice'; values: (number | string | boolean | null)[] };

export type SearchSpace = ParamDimension[];

export const DEFAULT_SPACES: Record<ModelKind, string> = {
  gbdt: 'learningRate=0.02..0.3:log,maxLeafNodes=8..128:int:log,minSamplesLeaf=5..100:int:log,l2Regularization=0..5,maxFeatures=0.5..1',
  linear: 'alpha=0.0001..100:log',
};

function literal(text: string): number | string | boolean | null {
  const t = text.trim();
  if (t === 'null') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}

export function parseSearchSpace(text: string, kind: ModelKind): SearchSpace {
  const source = text.trim() === 'default' ? DEFAULT_SPACES[kind] : text;
  const rules = PARAM_RULES[kind];
  const seen = new Set<string>();
  const dims = source
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part): ParamDimension => {
      const eq = part.indexOf('=');
      const fix = "Write 'name=lo..hi[:log][:int]' or 'name=a|b|c', e.g. 'learningRate=0.02..0.3:log,maxLeafNodes=15|31|63'.";
      if (eq <= 0) throw invalidArgument(`--search '${part}' is not name=range or name=choices. ${fix}`, { field: 'search' });
      const name = part.slice(0, eq).trim();
      const spec = part.slice(eq + 1).trim();
      const rule = rules[name];
      if (!rule) throw invalidArgument(`--search: '${name}' is not a ${kind} parameter; valid: ${Object.keys(rules).join(', ')}.`, { field: 'search', parameter: name });
      if (seen.has(name)) throw invalidArgument(`--search names '${name}' twice.`, { field: 'search', parameter: name });
      seen.add(name);
      const range = /^([-+]?[\d.e+-]+)\.\.([-+]?[\d.e+-]+)((?::(?:log|int))*)$/i.exec(spec);
      if (range) {
        const lo = Number(range[1]);
        const hi = Number(range[2]);
        const flags = range[3]!.toLowerCase();
        const dim = { name, kind: 'range' as const, lo, hi, log: flags.includes(':log'), int: flags.includes(':int') };
        if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw invalidArgument(`--search ${name}: the range needs lo < hi, got '${spec}'.`, { field: 'search', parameter: name });
        if (dim.log && lo <= 0) throw invalidArgument(`--search ${name}: a :log range must be above 0, got '${spec}'.`, { field: 'search', parameter: name });
        for (const bound of [lo, hi]) {
          const v = dim.int ? Math.round(bound) : bound;
          if (!rule.check(v)) throw invalidArgument(`--search ${name}: ${v} is outside what the parameter accepts (${rule.range}).`, { field: 'search', parameter: name });
        }
        return dim;
      }
      const values = spec.split('|').map(literal);
      if (values.length < 2 && !spec.includes('|')) throw invalidArgument(`--search ${name}: '${spec}' is neither a range nor a choice. ${fix}`, { field: 'search', parameter: name });
      for (const v of values) if (!rule.check(v)) throw invalidArgument(`--search ${name}: choice ${JSON.stringify(v)} is not ${rule.range}.`, { field: 'search', parameter: name });
      return { name, kind: 'choice', values };
    });
  if (dims.length === 0) throw invalidArgument("--search is empty; give parameters to search or 'default'.", { field: 'search' });
  return dims;
}

/** Maps a value into the unit interval of its dimension (log-aware), for model-based samplers. */
export function toUnit(dim: Extract<ParamDimension, { kind: 'range' }>, v: number): number {
  return dim.log ? (Math.log(v) - Math.log(dim.lo)) / (Math.log(dim.hi) - Math.log(dim.lo)) : (v - dim.lo) / (dim.hi - dim.lo);
}

/** The inverse of toUnit, rounded for integer dimensions and clamped into [lo, hi]. */
export function fromUnit(dim: Extract<ParamDimension, { kind: 'range' }>, u: number): number {
  const c = Math.min(1, Math.max(0, u));
  const v = dim.log ? Math.exp(Math.log(dim.lo) + c * (Math.log(dim.hi) - Math.log(dim.lo))) : dim.lo + c * (dim.hi - dim.lo);
  return dim.int ? Math.min(dim.hi, Math.max(dim.lo, Math.round(v))) : v;
}
