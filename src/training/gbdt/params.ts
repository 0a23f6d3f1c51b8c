import { num, resolveParams } from '../params.js';
import type { ParamRule } from '../params.js';

/** GBDT parameters; defaults follow scikit-learn's HistGradientBoosting* (see docs/training.md). */
export interface GbdtParams {
  learningRate: number;
  maxIter: number;
  maxLeafNodes: number | null;
  maxDepth: number | null;
  minSamplesLeaf: number;
  l2Regularization: number;
  maxBins: number;
  /** Categories kept per categorical feature (most frequent); the rest share one "other" bin. */
  maxCategories: number;
  /** Fraction of rows drawn (without replacement) for each boosting iteration. */
  subsample: number;
  /** Fraction of features considered at each split. */
  maxFeatures: number;
  earlyStopping: 'auto' | boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  seed: number;
}

const bool = (v: unknown) => typeof v === 'boolean';

export const GBDT_PARAM_RULES: Readonly<Record<keyof GbdtParams, ParamRule>> = {
  learningRate: { default: 0.1, check: num(0, 10, { loOpen: true }), range: 'a number in (0, 10]' },
  maxIter: { default: 100, check: num(1, 100_000, { int: true }), range: 'an integer in [1, 100000]' },
  maxLeafNodes: { default: 31, check: num(2, 1_000_000, { int: true, nullable: true }), range: 'an integer ≥ 2, or null (no limit)' },
  maxDepth: { default: null, check: num(1, 64, { int: true, nullable: true }), range: 'an integer in [1, 64], or null (no limit)' },
  minSamplesLeaf: { default: 20, check: num(1, 1e9, { int: true }), range: 'an integer ≥ 1' },
  l2Regularization: { default: 0, check: num(0, 1e12), range: 'a number ≥ 0' },
  maxBins: { default: 255, check: num(2, 255, { int: true }), range: 'an integer in [2, 255]' },
  maxCategories: { default: 254, check: num(2, 254, { int: true }), range: 'an integer in [2, 254]' },
  subsample: { default: 1, check: num(0, 1, { loOpen: true }), range: 'a number in (0, 1]' },
  maxFeatures: { default: 1, check: num(0, 1, { loOpen: true }), range: 'a number in (0, 1]' },
  earlyStopping: { default: 'auto', check: (v) => v === 'auto' || bool(v), range: "'auto', true or false" },
  validationFraction: { default: 0.1, check: (v) => num(0, 1, { loOpen: true })(v) && (v as number) < 1, range: 'a number in (0, 1)' },
  nIterNoChange: { default: 10, check: num(1, 100_000, { int: true }), range: 'an integer ≥ 1' },
  tol: { default: 1e-7, check: num(0, 1e12), range: 'a number ≥ 0' },
  seed: { default: 0, check: num(0, 2 ** 32 - 1, { int: true }), range: 'an integer in [0, 2^32)' },
};

export const resolveGbdtParams = (given?: Readonly<Record<string, unknown>>): GbdtParams => resolveParams<GbdtParams>(GBDT_PARAM_RULES, given, 'GBDT');
