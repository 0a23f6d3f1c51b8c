import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getColumn, selectRows } from '../dataset/frame.js';
import { BIKE_FEATURES, loadAdult, loadBikeSharing } from '../dataset/examples.js';
import { accuracy, rmse, rocAuc } from '../evaluation/metrics.js';
import { randomSplit } from '../random.js';
import { fitGbdt } from './fit.js';
import { predictClasses, predictProba, predictValues } from './predict.js';

const DATA = fileURLToPath(new URL('../../../examples/data', import.meta.url));

// Targets from issue 5; scikit-learn 1.2 HGB reference figures from DESIGN.md §6.
describe('GBDT on the reference datasets', () => {
  it('Adult: accuracy ≥ 0.865 and ROC AUC ≥ 0.920 with default parameters (sklearn HGB 0.8716 / 0.9271)', () => {
    const { train, test } = loadAdult(DATA);
    const model = fitGbdt(train, { target: 'Y' });
    expect(model.features).toHaveLength(14);
    expect(model.training.earlyStopped || model.training.nIter === 100).toBe(true);
    const truth = getColumn(test, 'Y');
    const labels = Array.from(truth.kind === 'categorical' ? truth.codes : [], (c) => (truth as { categories: readonly string[] }).categories[c]);
    const acc = accuracy(labels, predictClasses(model, test));
    const proba = predictProba(model, test);
    const pos = labels.map((l) => l === '>50K');
    const auc = rocAuc(pos, Array.from({ length: test.nRows }, (_, i) => proba[2 * i + 1]));
    expect(acc).toBeGreaterThanOrEqual(0.865);
    expect(auc).toBeGreaterThanOrEqual(0.92);
  });

  it('Bike sharing, seeded random 80/20 split: RMSE ≤ 45 (sklearn HGB 40.7)', () => {
    const bike = loadBikeSharing(DATA);
    const { train, test } = randomSplit(bike.nRows, 0.2, 42);
    // `yr` is added to DESIGN.md's feature list: without it no model can tell 2011 from 2012
    // demand (which grew ~60%), and the test RMSE plateaus near 60-66 however long we boost;
    // with it we land on the reference figure (see docs/training.md, "Reference figures").
    const features = [...BIKE_FEATURES, 'yr'];
    const model = fitGbdt(selectRows(bike, train), { target: 'cnt', features, params: { seed: 1 } });
    const te = selectRows(bike, test);
    const y = getColumn(te, 'cnt');
    expect(rmse(y.kind === 'numeric' ? y.values : [], predictValues(model, te))).toBeLessThanOrEqual(45);
  });
});
