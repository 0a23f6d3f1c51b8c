/**
 * Issue 5's parity rule on real data: for every trained model, ONNX Runtime's predictions equal
 * the in-process predictions (|Δ| ≤ 1e-5) on the test set — Adult GBDT (categoricals, missing
 * values, unseen categories in adult.test), Adult logistic regression, bike-sharing GBDT.
 */
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { getColumn, selectRows } from '../dataset/frame.js';
import type { Frame } from '../dataset/frame.js';
import { BIKE_FEATURES, loadAdult, loadBikeSharing } from '../dataset/examples.js';
import { randomSplit } from '../random.js';
import { fitGbdt } from '../gbdt/fit.js';
import { predictProba, predictValues } from '../gbdt/predict.js';
import { fitLinear } from '../linear/fit.js';
import { predictLinearProba } from '../linear/predict.js';
import { gbdtToOnnx } from './gbdt-to-onnx.js';
import { linearToOnnx } from './linear-to-onnx.js';
import type { FeatureLike } from './gbdt-to-onnx.js';

const DATA = fileURLToPath(new URL('../../../examples/data', import.meta.url));

/** The raw feature columns as the graph's inputs: numbers as float64, categories as their strings. */
function feeds(frame: Frame, features: readonly FeatureLike[]): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const f of features) {
    const col = getColumn(frame, f.name);
    if (f.kind === 'numeric') {
      if (col.kind !== 'numeric') throw new Error(`${f.name} is not numeric`);
      out[f.name] = new ort.Tensor('float64', Float64Array.from(col.values), [frame.nRows, 1]);
    } else {
      const cat = col.kind === 'categorical' ? col : null;
      if (!cat) throw new Error(`${f.name} is not categorical`);
      out[f.name] = new ort.Tensor('string', Array.from(cat.codes, (c) => (c < 0 ? '' : cat.categories[c]!)), [frame.nRows, 1]);
    }
  }
  return out;
}

const maxDelta = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('trained models through ONNX Runtime equal the in-process predictions', () => {
  const { train, test } = loadAdult(DATA);

  it('Adult GBDT: class probabilities, |Δ| ≤ 1e-5 on all 16,281 test rows', async () => {
    const model = fitGbdt(train, { target: 'Y' });
    const session = await ort.InferenceSession.create(gbdtToOnnx(model));
    const out = await session.run(feeds(test, model.features));
    expect(maxDelta(out.probabilities!.data as Float64Array, predictProba(model, test))).toBeLessThanOrEqual(1e-5);
  }, 60_000);

  it('Adult logistic regression (one-hot, imputation, scaling in the graph): |Δ| ≤ 1e-5', async () => {
    const model = fitLinear(train, { target: 'Y' });
    const session = await ort.InferenceSession.create(linearToOnnx(model));
    const out = await session.run(feeds(test, model.features));
    expect(maxDelta(out.probabilities!.data as Float64Array, predictLinearProba(model, test))).toBeLessThanOrEqual(1e-5);
  }, 60_000);

  it('bike-sharing GBDT regression: |Δ| ≤ 1e-5', async () => {
    const bike = loadBikeSharing(DATA);
    const split = randomSplit(bike.nRows, 0.2, 42);
    const features = [...BIKE_FEATURES, 'yr'];
    const model = fitGbdt(selectRows(bike, split.train), { target: 'cnt', features, params: { seed: 1 } });
    const te = selectRows(bike, split.test);
    const session = await ort.InferenceSession.create(gbdtToOnnx(model));
    const out = await session.run(feeds(te, model.features));
    const expected = predictValues(model, te);
    expect(maxDelta(out.prediction!.data as Float64Array, expected)).toBeLessThanOrEqual(1e-5);
  }, 60_000);
});
