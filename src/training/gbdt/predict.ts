import { invalidArgument } from '../../core/errors.js';
import type { Frame } from '../dataset/frame.js';
import { encodeFeatures } from '../features.js';
import { sigmoid } from './losses.js';
import { accumulate, compile } from './compiled.js';
import type { GbdtModel } from './model.js';

/**
 * Raw scores, n × outputs row-major: the regression prediction, the logit (binary) or the per-class
 * scores before softmax. Missing values and categories unseen at training follow each split's
 * learned missing direction.
 */
export function predictRaw(model: GbdtModel, frame: Frame): Float64Array {
  const cols = encodeFeatures(frame, model.features);
  const K = model.baseline.length;
  const n = frame.nRows;
  const out = new Float64Array(n * K);
  for (let r = 0; r < n; r++) for (let k = 0; k < K; k++) out[r * K + k] = model.baseline[k];
  accumulate(compile(model), cols, n, K, out);
  return out;
}

/** Regression predictions. */
export function predictValues(model: GbdtModel, frame: Frame): Float64Array {
  if (model.task !== 'regression') throw invalidArgument('predictValues needs a regression model; use predictProba or predictClasses.');
  return predictRaw(model, frame);
}

/** Class probabilities, n × classes row-major (binary: [P(classes[0]), P(classes[1])]). */
export function predictProba(model: GbdtModel, frame: Frame): Float64Array {
  return rawToProba(predictRaw(model, frame), model.classes?.length ?? 0);
}

export function rawToProba(raw: Float64Array, nClasses: number): Float64Array {
  if (nClasses < 2) throw invalidArgument('Probabilities need a classification model.');
  if (nClasses === 2) {
    const out = new Float64Array(raw.length * 2);
    for (let i = 0; i < raw.length; i++) {
      const p = sigmoid(raw[i]);
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  const out = new Float64Array(raw.length);
  for (let r = 0; r < raw.length / nClasses; r++) {
    let m = -Infinity;
    for (let k = 0; k < nClasses; k++) m = Math.max(m, raw[r * nClasses + k]);
    let s = 0;
    for (let k = 0; k < nClasses; k++) s += out[r * nClasses + k] = Math.exp(raw[r * nClasses + k] - m);
    for (let k = 0; k < nClasses; k++) out[r * nClasses + k] /= s;
  }
  return out;
}

/** The most probable class label per row (first class on ties). */
export function predictClasses(model: GbdtModel, frame: Frame): string[] {
  const classes = model.classes;
  if (!classes) throw invalidArgument('predictClasses needs a classification model.');
  return argmaxLabels(predictProba(model, frame), classes);
}

export function argmaxLabels(proba: Float64Array, classes: readonly string[]): string[] {
  const K = classes.length;
  const out: string[] = new Array(proba.length / K);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[r * K + k] > proba[r * K + best]) best = k;
    out[r] = classes[best];
  }
  return out;
}
