import { describe, expect, it } from 'vitest';
import { windowRows } from './window-rows.js';
import { binaryAuc, classificationMetrics, regressionMetrics } from './performance.js';
import type { GyreModelManifest } from '../../models/manifest.js';
import type { LabeledRecord } from '../../serving/inference-log/entities.js';

const manifest = {
  task: 'classification',
  inputs: [
    { name: 'age', type: 'number', tensor: 'x', column: 0 },
    { name: 'hours', type: 'number', tensor: 'x', column: 1 },
    { name: 'sex', type: 'string', tensor: 'sex' },
  ],
  outputs: [
    { name: 'label', datatype: 'BYTES', shape: [-1], role: 'label' },
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 2], role: 'probabilities', classLabels: ['<=50K', '>50K'] },
  ],
  metrics: {},
} as unknown as GyreModelManifest;
const rec = (inputs: unknown, outputs: unknown, label: unknown = null): LabeledRecord =>
  ({ deployment: 'd', requestId: 'r', timestamp: 0, modelName: 'm', modelVersion: '1', variant: 'primary', inputs, outputs, latencyMs: 1, label, labelTimestamp: null });

describe('window rows from logged records', () => {
  it('splits records requests, OIP tensors (flat and nested) and per-row labels', () => {
    const rows = windowRows(
      [
        rec([{ age: 30, hours: 40, sex: 'F' }, { age: 50, hours: 20, sex: 'M' }], [{ label: '>50K', probabilities: { '<=50K': 0.2, '>50K': 0.8 } }, { label: '<=50K', probabilities: { '<=50K': 0.9, '>50K': 0.1 } }], ['>50K', '>50K']),
        rec({ x: [[41, 38]], sex: [['M']] }, { label: ['<=50K'], probabilities: [0.7, 0.3] }, '<=50K'),
        rec({ x: [20, 10, 60, 45], sex: ['F', 'M'] }, { label: ['<=50K', '>50K'], probabilities: [0.6, 0.4, 0.3, 0.7] }, 'oops: one label for two rows'),
        rec('garbage', {}),
      ],
      manifest,
      'label',
    );
    expect(rows.features).toEqual({ age: [30, 50, 41, 20, 60], hours: [40, 20, 38, 10, 45], sex: ['F', 'M', 'M', 'F', 'M'] });
    expect(rows.predictions).toEqual(['>50K', '<=50K', '<=50K', '<=50K', '>50K']);
    expect(rows.scores).toEqual([0.8, 0.1, 0.3, 0.4, 0.7]);
    expect(rows.labels).toEqual(['>50K', '>50K', '<=50K', undefined, undefined]);
    expect({ rows: rows.rows, unreadable: rows.unreadableRecords, unmatched: rows.unmatchedLabels }).toEqual({ rows: 5, unreadable: 1, unmatched: 1 });
    const perf = classificationMetrics(rows.predictions, rows.scores, rows.labels);
    expect(perf).toEqual([
      { metric: 'labeled_rows', feature: '', method: '', value: 3 },
      { metric: 'accuracy', feature: '', method: '', value: 2 / 3 },
      { metric: 'auc', feature: '', method: '', value: 0.5 }, // positives 0.8 and 0.1 against the negative 0.3
    ]);
  });

  it('computes RMSE, MAE and a tie-aware AUC (scikit-learn roc_auc_score gives 0.75 on this case)', () => {
    expect(regressionMetrics([1, 2, 3, 'x'], [2, 2, 5, 1]).map((m) => [m.metric, m.value])).toEqual([['labeled_rows', 3], ['rmse', Math.sqrt(5 / 3)], ['mae', 1]]);
    expect(regressionMetrics([1], [undefined])).toEqual([{ metric: 'labeled_rows', feature: '', method: '', value: 0 }]);
    // scores [0.1, 0.4, 0.35, 0.8] for labels [0, 0, 1, 1]: roc_auc_score = 0.75.
    expect(binaryAuc([{ score: 0.1, label: '0' }, { score: 0.4, label: '0' }, { score: 0.35, label: '1' }, { score: 0.8, label: '1' }])).toBe(0.75);
    expect(binaryAuc([{ score: 0.5, label: '0' }, { score: 0.5, label: '1' }])).toBe(0.5);
    expect(binaryAuc([{ score: 0.5, label: 'a' }])).toBeNull();
  });
});
