import { describe, expect, it } from 'vitest';
import { averagePrecision, calibrationCurve, confusion, precisionRecallF1 } from './binary-metrics.js';
import { demographicParityDifference, equalizedOddsDifference, groupRates } from './fairness.js';

describe('binary metrics (hand-computed)', () => {
  const positive = [true, true, false, false, true, false];
  const score = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1];
  it('confusion, precision, recall, F1 at 0.5', () => {
    const c = confusion(positive, score.map((s) => s >= 0.5));
    expect(c).toEqual({ tp: 2, fp: 1, tn: 2, fn: 1 });
    const m = precisionRecallF1(c);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(precisionRecallF1({ tp: 0, fp: 0, tn: 3, fn: 0 })).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
  it('average precision as scikit-learn (1·1/3 + 1·1/3 + 3/5·1/3), ties as one threshold', () => {
    expect(averagePrecision(positive, score)).toBeCloseTo(1 / 3 + 1 / 3 + (3 / 5) / 3, 12);
    expect(averagePrecision([true, false], [0.5, 0.5])).toBeCloseTo(0.5, 12);
  });
  it('calibration bins', () => {
    const bins = calibrationCurve([true, false, true, true], [0.05, 0.08, 0.95, 0.85], 10);
    expect(bins).toEqual([
      { lower: 0, upper: 0.1, count: 2, meanPredicted: 0.065, observedShare: 0.5 },
      { lower: 0.8, upper: 0.9, count: 1, meanPredicted: 0.85, observedShare: 1 },
      { lower: 0.9, upper: 1, count: 1, meanPredicted: 0.95, observedShare: 1 },
    ]);
  });
});

describe('fairness (Fairlearn definitions)', () => {
  it('demographic parity and equalized odds differences', () => {
    const group = ['m', 'm', 'm', 'm', 'f', 'f', 'f', 'f'];
    const positive = [true, true, false, false, true, true, false, false];
    const predicted = [true, true, true, false, true, false, false, false];
    const rates = groupRates(group, positive, predicted);
    expect(rates.map((r) => [r.group, r.selectionRate, r.truePositiveRate, r.falsePositiveRate])).toEqual([
      ['f', 0.25, 0.5, 0],
      ['m', 0.75, 1, 0.5],
    ]);
    expect(demographicParityDifference(rates)).toBeCloseTo(0.5, 12);
    expect(equalizedOddsDifference(rates)).toBeCloseTo(0.5, 12);
  });
});
