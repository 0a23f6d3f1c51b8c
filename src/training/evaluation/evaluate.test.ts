import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate.js';
import { prCurve, rocCurve } from './curves.js';
import { rocAuc } from './metrics.js';
import { renderEvaluationHtml } from './evaluation-report.js';

describe('evaluatePredictions', () => {
  it('regression: RMSE, MAE, MAPE (scikit-learn definition), R², residual histogram', () => {
    const e = evaluatePredictions({ truth: [1, 2, 4, 0], predictions: { task: 'regression', values: [2, 2, 3, 1] } });
    expect(e.metrics.rmse).toBeCloseTo(Math.sqrt(3 / 4), 12);
    expect(e.metrics.mae).toBeCloseTo(3 / 4, 12);
    // |y − ŷ| / max(|y|, ε): the zero target contributes 1/ε, as scikit-learn's mean_absolute_percentage_error.
    expect(e.metrics.mape).toBeCloseTo((1 + 0 + 0.25 + 1 / Number.EPSILON) / 4, 0);
    expect(e.regression!.residualHistogram.reduce((s, b) => s + b.count, 0)).toBe(4);
    expect(e.regression!.sample).toHaveLength(4);
  });

  it('binary classification: confusion matrix, curves, calibration and fairness groups', () => {
    const truth = ['n', 'y', 'y', 'n', 'y', 'n'];
    const p1 = [0.1, 0.8, 0.6, 0.7, 0.9, 0.2];
    const labels = p1.map((p) => (p >= 0.5 ? 'y' : 'n'));
    const proba = p1.flatMap((p) => [1 - p, p]);
    const e = evaluatePredictions({ truth, predictions: { task: 'classification', classes: ['n', 'y'], labels, proba }, sensitive: { column: 'g', groups: ['a', 'a', 'a', 'b', 'b', 'b'] } });
    expect(e.classification!.confusionMatrix).toEqual([
      [2, 1],
      [0, 3],
    ]);
    expect(e.metrics.accuracy).toBeCloseTo(5 / 6, 12);
    expect(e.metrics.roc_auc).toBeCloseTo(rocAuc(truth.map((t) => t === 'y'), p1), 12);
    expect(e.fairness!.groups.map((g) => g.group)).toEqual(['a', 'b']);
    expect(e.metrics['selection_rate/g:b']).toBeCloseTo(2 / 3, 12);
    expect(e.metrics.dp_difference).toBeCloseTo(0, 12);
  });

  it('refuses an empty test set', () => {
    expect(() => evaluatePredictions({ truth: [], predictions: { task: 'regression', values: [] } })).toThrow(/zero rows/);
  });
});

describe('curves', () => {
  const positive = [true, false, true, true, false, false, true, false];
  const score = [0.9, 0.8, 0.8, 0.6, 0.5, 0.3, 0.2, 0.1];
  it('ROC: trapezoid area under the curve equals the Mann-Whitney AUC (ties as one threshold)', () => {
    const roc = rocCurve(positive, score);
    let area = 0;
    for (let i = 1; i < roc.length; i++) area += ((roc[i]!.x - roc[i - 1]!.x) * (roc[i]!.y + roc[i - 1]!.y)) / 2;
    expect(area).toBeCloseTo(rocAuc(positive, score), 12);
    expect(roc[0]).toMatchObject({ x: 0, y: 0 });
    expect(roc.at(-1)).toMatchObject({ x: 1, y: 1 });
  });
  it('PR: recall rises to 1, precision at full recall is the positive share', () => {
    const pr = prCurve(positive, score);
    expect(pr.at(-1)).toMatchObject({ x: 1, y: 0.5 });
    expect(pr[0]).toMatchObject({ x: 0.25, y: 1 });
  });
  it('thins to maxPoints keeping both ends', () => {
    const n = 5000;
    const s = Array.from({ length: n }, (_, i) => i / n);
    const p = s.map((_, i) => i % 3 === 0);
    const roc = rocCurve(p, s, 50);
    expect(roc).toHaveLength(50);
    expect(roc[0]).toMatchObject({ x: 0, y: 0 });
    expect(roc.at(-1)).toMatchObject({ x: 1, y: 1 });
  });
});

describe('evaluation report HTML', () => {
  it('is one self-contained page with the plots for the task', () => {
    const challenger = evaluatePredictions({ truth: ['n', 'y', 'y', 'n'], predictions: { task: 'classification', classes: ['n', 'y'], labels: ['n', 'y', 'n', 'n'], proba: [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.7, 0.3] } });
    const html = renderEvaluationHtml({ title: 'Eval <x>', subject: { model: 'gbdt' }, challenger, createdAt: '2026-11-23T00:00:00Z' });
    expect(html).toContain('Eval &lt;x&gt;');
    for (const title of ['ROC curve', 'Precision-recall curve', 'Calibration']) expect(html).toContain(`aria-label="${title}`);
    expect(html).not.toMatch(/<script|src="http/);
    const reg = evaluatePredictions({ truth: [1, 2, 3, 4], predictions: { task: 'regression', values: [1, 2, 2, 5] } });
    const regHtml = renderEvaluationHtml({ title: 'r', subject: {}, challenger: reg, createdAt: '' });
    for (const title of ['Predicted vs actual', 'Residuals vs predicted', 'Residual distribution']) expect(regHtml).toContain(`aria-label="${title}"`);
  });
});
