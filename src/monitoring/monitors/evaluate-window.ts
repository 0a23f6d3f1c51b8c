/**
 * The figures of one window: row counts, data quality per feature, feature drift against the
 * reference profile, dataset drift, prediction drift (when the profile holds predictions), and
 * performance where labels arrived. Pure: records, manifest and profile in, figures out.
 */
import type { LabeledRecord } from '../../serving/inference-log/entities.js';
import type { GyreModelManifest } from '../../models/manifest.js';
import type { ReferenceProfile } from '../profiles/entities.js';
import { scoreColumn } from '../profiles/score-profile.js';
import type { SkippedColumn } from '../profiles/score-profile.js';
import { datasetDrift } from '../drift/column-drift.js';
import type { ColumnDrift } from '../drift/column-drift.js';
import { featureQuality } from './data-quality.js';
import { suiteMetrics } from './suite-checks.js';
import { classificationMetrics, regressionMetrics } from './performance.js';
import { predictionOutput, windowRows } from './window-rows.js';
import type { WindowRows } from './window-rows.js';
import type { MetricPoint, MonitorSpec } from './entities.js';

/** The profile column holding the reference's predictions (or target), for prediction drift. */
export const PREDICTION_COLUMN = '__prediction__';

export interface WindowFigures {
  rows: number;
  metrics: MetricPoint[];
  summary: {
    datasetDrift: boolean | null;
    driftedColumns: string[];
    skippedColumns: SkippedColumn[];
    unreadableRecords: number;
    unmatchedLabels: number;
    modelVersions: string[];
  };
}

const point = (metric: string, value: number, feature = '', method = ''): MetricPoint => ({ metric, feature, method, value });

export function evaluateWindow(records: readonly LabeledRecord[], manifest: GyreModelManifest, profile: ReferenceProfile, spec: MonitorSpec, withPerformance: boolean): WindowFigures {
  const rows = windowRows(records, manifest, predictionOutput(manifest, spec.predictionOutput));
  const summary: WindowFigures['summary'] = {
    datasetDrift: null,
    driftedColumns: [],
    skippedColumns: [],
    unreadableRecords: rows.unreadableRecords,
    unmatchedLabels: rows.unmatchedLabels,
    modelVersions: [...new Set(records.map((r) => `${r.modelName}/${r.modelVersion}`))],
  };
  const metrics: MetricPoint[] = [point('rows', rows.rows), point('unreadable_records', rows.unreadableRecords)];
  // A window with no rows has nothing to measure: its row count is the result, and rules see no data.
  if (rows.rows === 0) return { rows: 0, metrics, summary };

  const byName = new Map(profile.columns.map((c) => [c.name, c]));
  const tested = new Set(spec.columns ?? manifest.inputs.map((f) => f.name));
  const drifts: ColumnDrift[] = [];
  for (const feature of manifest.inputs) {
    const ref = byName.get(feature.name);
    const quality = featureQuality(feature, rows.features[feature.name]!, ref);
    metrics.push(...quality.metrics);
    if (!tested.has(feature.name)) continue;
    if (!ref) {
      summary.skippedColumns.push({ column: feature.name, reason: 'no_values_in_reference' });
      continue;
    }
    // Comparing numbers with categories would report drift that is only a type confusion.
    if ((ref.kind === 'numeric') !== (feature.type === 'number' || feature.type === 'integer')) {
      summary.skippedColumns.push({ column: feature.name, reason: 'type_mismatch' });
      continue;
    }
    const d = scoreColumn(ref, quality.clean, spec.perColumn?.[feature.name]);
    if ('reason' in d) summary.skippedColumns.push(d);
    else drifts.push(d);
  }
  for (const d of drifts) metrics.push(point('drift_score', d.score, d.column, d.method), point('drift_detected', d.drifted ? 1 : 0, d.column, d.method));
  if (drifts.length > 0) {
    const dataset = datasetDrift(drifts, spec.shareThreshold);
    summary.datasetDrift = dataset.drifted;
    summary.driftedColumns = drifts.filter((d) => d.drifted).map((d) => d.column);
    metrics.push(point('dataset_drift_share', dataset.driftedShare), point('dataset_drift', dataset.drifted ? 1 : 0), point('drifted_columns', summary.driftedColumns.length));
  }
  metrics.push(...predictionDrift(rows, profile, spec));
  if (spec.suite) metrics.push(...suiteMetrics(spec.suite, rows.features, rows.rows));
  if (withPerformance) metrics.push(...performanceOf(rows, manifest));
  return { rows: rows.rows, metrics, summary };
}

function predictionDrift(rows: WindowRows, profile: ReferenceProfile, spec: MonitorSpec): MetricPoint[] {
  const ref = profile.columns.find((c) => c.name === PREDICTION_COLUMN);
  if (!ref) return [];
  const d = scoreColumn(ref, rows.predictions, spec.perColumn?.[PREDICTION_COLUMN]);
  if ('reason' in d) return [];
  return [point('prediction_drift_score', d.score, '', d.method), point('prediction_drift', d.drifted ? 1 : 0, '', d.method)];
}

export function performanceOf(rows: WindowRows, manifest: GyreModelManifest): MetricPoint[] {
  return manifest.task === 'classification' ? classificationMetrics(rows.predictions, rows.scores, rows.labels) : regressionMetrics(rows.predictions, rows.labels);
}

/** Performance alone, for a window measured again once its labels have arrived. */
export function evaluatePerformance(records: readonly LabeledRecord[], manifest: GyreModelManifest, spec: MonitorSpec): MetricPoint[] {
  return performanceOf(windowRows(records, manifest, predictionOutput(manifest, spec.predictionOutput)), manifest);
}
