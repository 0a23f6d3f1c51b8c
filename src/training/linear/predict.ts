import { invalidArgument } from '../../core/errors.js';
import type { Frame } from '../dataset/frame.js';
import { encodeFeatures } from '../features.js';
import { argmaxLabels, rawToProba } from '../gbdt/predict.js';
import { encodeDesign } from './encoder.js';
import type { LinearModel } from './model.js';

/** Raw scores, n × outputs row-major (prediction, logit, or per-class scores). */
export function predictLinearRaw(model: LinearModel, frame: Frame): Float64Array {
  const cols = encodeFeatures(frame, model.features);
  const n = frame.nRows;
  const D = model.columns.length;
  const X = encodeDesign(model.inputs, cols, n, D);
  const K = model.intercept.length;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const w = model.coef[k];
      let s = model.intercept[k];
      for (let j = 0; j < D; j++) s += w[j] * X[i * D + j];
      out[i * K + k] = s;
    }
  }
  return out;
}

export function predictLinearValues(model: LinearModel, frame: Frame): Float64Array {
  if (model.task !== 'regression') throw invalidArgument('predictLinearValues needs a ridge model.');
  return predictLinearRaw(model, frame);
}

/** Class probabilities, n × classes row-major. */
export function predictLinearProba(model: LinearModel, frame: Frame): Float64Array {
  if (!model.classes) throw invalidArgument('predictLinearProba needs a logistic model.');
  return rawToProba(predictLinearRaw(model, frame), model.classes.length);
}

export function predictLinearClasses(model: LinearModel, frame: Frame): string[] {
  if (!model.classes) throw invalidArgument('predictLinearClasses needs a logistic model.');
  return argmaxLabels(predictLinearProba(model, frame), model.classes);
}
