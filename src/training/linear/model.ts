import type { FeatureInfo } from '../features.js';
import type { LinearInput } from './encoder.js';

/**
 * A fitted linear model: preprocessing per input feature (`inputs`, in `features` order), then
 * `score_k = intercept[k] + Σ_j coef[k][j] · design_j` over the design columns named in `columns`.
 * Ridge: one output, the prediction. Logistic: binary has one output (the logit of classes[1]);
 * multinomial one per class, through softmax.
 */
export interface LinearModel {
  readonly format: 'gyre-linear';
  readonly formatVersion: 1;
  readonly kind: 'ridge' | 'logistic';
  readonly task: 'regression' | 'classification';
  readonly target: string;
  readonly classes: string[] | null;
  readonly features: FeatureInfo[];
  readonly inputs: LinearInput[];
  readonly columns: string[];
  readonly coef: number[][];
  readonly intercept: number[];
  readonly params: Record<string, unknown>;
  readonly training: { readonly iterations: number; readonly converged: boolean };
}
