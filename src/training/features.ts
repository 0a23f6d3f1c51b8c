import { invalidArgument } from '../core/errors.js';
import { asCategorical, getColumn } from './dataset/frame.js';
import type { Column, Frame } from './dataset/frame.js';

/** One model input as the fitted model records it: name, type and, for categoricals, the vocabulary. */
export type FeatureInfo =
  | { readonly name: string; readonly kind: 'numeric' }
  | { readonly name: string; readonly kind: 'categorical'; readonly categories: readonly string[] };

export interface FeatureSelection {
  /** Feature columns in model order; default: every column but the target. */
  features?: readonly string[];
  /** Columns to treat as categorical even though numeric (e.g. `season`, `weathersit`). */
  categorical?: readonly string[];
}

/**
 * The feature spec learned from the training frame: strings are categorical, numbers numeric unless
 * listed in `categorical`. A categorical vocabulary keeps only categories present in training, so a
 * category seen only at scoring time is unknown and scored as missing.
 */
export function learnFeatures(frame: Frame, target: string, sel: FeatureSelection): FeatureInfo[] {
  const names = sel.features ?? frame.columns.map((c) => c.name).filter((n) => n !== target);
  if (names.length === 0) throw invalidArgument('No feature columns to train on.');
  if (names.includes(target)) throw invalidArgument(`Target column '${target}' is also listed as a feature.`, { target });
  if (new Set(names).size !== names.length) throw invalidArgument('Feature columns are listed twice.', { features: names });
  const forced = new Set(sel.categorical ?? []);
  for (const n of forced) if (!names.includes(n)) throw invalidArgument(`Categorical column '${n}' is not a feature.`, { column: n });
  return names.map((name) => {
    const col = getColumn(frame, name);
    if (col.kind === 'numeric' && !forced.has(name)) return { name, kind: 'numeric' };
    const cat = asCategorical(col);
    const present = new Uint8Array(cat.categories.length);
    for (let i = 0; i < cat.codes.length; i++) if (cat.codes[i] >= 0) present[cat.codes[i]] = 1;
    return { name, kind: 'categorical', categories: cat.categories.filter((_, i) => present[i]) };
  });
}

/**
 * The frame's feature columns as float columns, the way the ONNX graph will see them: numbers as
 * they are, categories as their index in the model's vocabulary; missing and unseen values as NaN.
 */
export function encodeFeatures(frame: Frame, features: readonly FeatureInfo[]): Float64Array[] {
  return features.map((f) => {
    const col: Column = getColumn(frame, f.name);
    if (f.kind === 'numeric') {
      if (col.kind !== 'numeric') throw invalidArgument(`Feature '${f.name}' was numeric at training but is categorical here.`, { column: f.name });
      return col.values;
    }
    const cat = asCategorical(col);
    const vocab = new Map(f.categories.map((c, i) => [c, i]));
    const lookup = cat.categories.map((c) => vocab.get(c) ?? NaN);
    const out = new Float64Array(cat.codes.length);
    for (let i = 0; i < out.length; i++) out[i] = cat.codes[i] < 0 ? NaN : lookup[cat.codes[i]];
    return out;
  });
}

/** The target as numbers (regression) or as class indices with their labels (classification). */
export function readTarget(frame: Frame, target: string, task: 'regression' | 'classification'): { y: Float64Array; classes: string[] | null } {
  const col = frame.columns.find((c) => c.name === target);
  if (!col) throw invalidArgument(`Unknown target column '${target}'.`, { target, columns: frame.columns.map((c) => c.name) });
  if (frame.nRows === 0) throw invalidArgument('The training set is empty.');
  if (task === 'regression') {
    if (col.kind !== 'numeric') throw invalidArgument(`Target '${target}' is categorical; regression needs numbers.`, { target });
    let nulls = 0;
    for (const v of col.values) if (!Number.isFinite(v)) nulls++;
    if (nulls) throw invalidArgument(`Target '${target}' has ${nulls} missing values; drop those rows first.`, { target, missing: nulls });
    const first = col.values[0];
    if (col.values.every((v) => v === first)) throw invalidArgument(`Target '${target}' is constant (${first}); nothing to learn.`, { target });
    return { y: col.values, classes: null };
  }
  const cat = asCategorical(col);
  let nulls = 0;
  const counts = new Uint32Array(cat.categories.length);
  for (const c of cat.codes) c < 0 ? nulls++ : counts[c]++;
  if (nulls) throw invalidArgument(`Target '${target}' has ${nulls} missing values; drop those rows first.`, { target, missing: nulls });
  // Classes sorted like scikit-learn's LabelEncoder, so class indices do not depend on row order.
  const present = cat.categories.map((c, i) => ({ c, i })).filter((e) => counts[e.i] > 0).sort((a, b) => (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  if (present.length < 2) throw invalidArgument(`Target '${target}' is constant (one class '${present[0]?.c}'); nothing to learn.`, { target });
  const toClass = new Int32Array(cat.categories.length);
  present.forEach((e, k) => (toClass[e.i] = k));
  const y = new Float64Array(cat.codes.length);
  for (let i = 0; i < y.length; i++) y[i] = toClass[cat.codes[i]];
  return { y, classes: present.map((e) => e.c) };
}
