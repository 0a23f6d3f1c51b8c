/**
 * One face for both trainers: fit gradient-boosted trees or a linear model, predict in the shape
 * evaluation takes, export to ONNX. Training jobs, search trials and gates all go through here, so
 * adding a trainer means adding one branch.
 */
import { invalidArgument } from '../core/errors.js';
import type { Frame } from './dataset/frame.js';
import { getColumn } from './dataset/frame.js';
import type { FeatureInfo, FeatureSelection } from './features.js';
import { readTarget } from './features.js';
import { fitGbdt } from './gbdt/fit.js';
import type { GbdtModel } from './gbdt/model.js';
import { predictClasses as gbdtClasses, predictProba as gbdtProba, predictValues as gbdtValues } from './gbdt/predict.js';
import { fitLinear } from './linear/fit.js';
import type { LinearModel } from './linear/model.js';
import { predictLinearClasses, predictLinearProba, predictLinearValues } from './linear/predict.js';
import { GBDT_PARAM_RULES } from './gbdt/params.js';
import { LINEAR_PARAM_RULES } from './linear/fit.js';
import { resolveParams } from './params.js';
import type { ParamRule } from './params.js';
import { gbdtToOnnx } from './onnx/gbdt-to-onnx.js';
import { linearToOnnx } from './onnx/linear-to-onnx.js';
import type { Predictions } from './evaluation/evaluate.js';

export type ModelKind = 'gbdt' | 'linear';
export const MODEL_KINDS: readonly ModelKind[] = ['gbdt', 'linear'];

export interface FittedModel {
  kind: ModelKind;
  task: 'regression' | 'classification';
  classes: string[] | null;
  features: FeatureInfo[];
  /** Boosting iterations kept (GBDT) or solver iterations (linear). */
  iterations: number;
  predict(frame: Frame): Predictions;
  toOnnx(name: string): Uint8Array;
}

export type ParamValues = Record<string, number | string | boolean | null>;

export const PARAM_RULES: Record<ModelKind, Readonly<Record<string, ParamRule>>> = { gbdt: GBDT_PARAM_RULES, linear: LINEAR_PARAM_RULES };

/** Unknown names and out-of-range values, refused before any data is read or run tracked. */
export function checkParams(kind: ModelKind, params: ParamValues): void {
  resolveParams(PARAM_RULES[kind], params, kind);
}

export function checkModelKind(kind: string): ModelKind {
  if (!MODEL_KINDS.includes(kind as ModelKind)) throw invalidArgument(`--model must be gbdt or linear, got '${kind}'.`, { field: 'model' });
  return kind as ModelKind;
}

/** The fitted model as plain data (what a worker thread hands back). */
export type RawModel = GbdtModel | LinearModel;

export function fitRaw(kind: ModelKind, train: Frame, target: string, selection: FeatureSelection, params: ParamValues): RawModel {
  return kind === 'gbdt' ? fitGbdt(train, { target, ...selection, params: params as never }) : fitLinear(train, { target, ...selection, params: params as never });
}

/** Prediction and export over a fitted model's data. */
export function wrapModel(m: RawModel): FittedModel {
  if (m.format === 'gyre-gbdt') {
    return {
      kind: 'gbdt',
      task: m.task,
      classes: m.classes,
      features: m.features,
      iterations: m.training.nIter,
      predict: (f) => (m.task === 'regression' ? { task: 'regression', values: gbdtValues(m, f) } : { task: 'classification', classes: m.classes!, labels: gbdtClasses(m, f), proba: gbdtProba(m, f) }),
      toOnnx: (name) => gbdtToOnnx(m, name),
    };
  }
  return {
    kind: 'linear',
    task: m.task,
    classes: m.classes,
    features: m.features,
    iterations: m.training.iterations,
    predict: (f) => (m.task === 'regression' ? { task: 'regression', values: predictLinearValues(m, f) } : { task: 'classification', classes: m.classes!, labels: predictLinearClasses(m, f), proba: predictLinearProba(m, f) }),
    toOnnx: (name) => linearToOnnx(m, name),
  };
}

export function fitModel(kind: ModelKind, train: Frame, target: string, selection: FeatureSelection, params: ParamValues): FittedModel {
  return wrapModel(fitRaw(kind, train, target, selection, params));
}

/**
 * The task the trainers infer (numbers → regression, text → classification), after checking the
 * target as they would (missing values, a constant target, an empty set): a clear error up front.
 */
export function checkTarget(frame: Frame, target: string): 'regression' | 'classification' {
  const task = getColumn(frame, target).kind === 'categorical' ? 'classification' : 'regression';
  readTarget(frame, target, task);
  return task;
}

/** The target column of `frame` as evaluation's truth: numbers for regression, labels as text otherwise. */
export function truthOf(frame: Frame, target: string, task: 'regression' | 'classification'): Float64Array | string[] {
  const col = getColumn(frame, target);
  if (task === 'regression') {
    if (col.kind !== 'numeric') throw invalidArgument(`Target '${target}' is numeric in training but not in the evaluation data.`, { target });
    return col.values;
  }
  return col.kind === 'categorical' ? Array.from(col.codes, (c) => (c < 0 ? '' : col.categories[c]!)) : Array.from(col.values, String);
}

/** A column's values as group labels for fairness slices (missing → '(missing)'). */
export function groupsOf(frame: Frame, column: string): string[] {
  const col = getColumn(frame, column);
  return col.kind === 'categorical' ? Array.from(col.codes, (c) => (c < 0 ? '(missing)' : col.categories[c]!)) : Array.from(col.values, String);
}
