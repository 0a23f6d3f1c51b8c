/**
 * Alert rules over a window's figures. Each rule has a stable key (one firing alert per monitor and
 * key) and evaluates to firing, ok, or no data — a window without the figure the rule reads (no
 * rows, no labels yet) leaves the rule's alert as it is.
 */
import { invalidArgument } from '../../core/errors.js';
import { LOWER_IS_BETTER, PERFORMANCE_METRICS, SEVERITIES } from './entities.js';
import type { MetricPoint, Rule, Severity } from './entities.js';

export type RuleState = { state: 'firing'; value: number; message: string } | { state: 'ok'; value: number } | { state: 'no_data' };

export function ruleKey(rule: Rule): string {
  switch (rule.kind) {
    case 'dataset_drift':
    case 'prediction_drift':
      return rule.kind;
    case 'feature_drift':
      return `feature_drift:${rule.feature}`;
    case 'threshold':
      return `threshold:${rule.metric}${rule.feature ? `:${rule.feature}` : ''}${rule.op}${rule.value}`;
    case 'performance':
      return `performance:${rule.metric}`;
  }
}

export const severityOf = (rule: Rule): Severity => rule.severity ?? (rule.kind === 'performance' ? 'critical' : 'warning');

const find = (metrics: readonly MetricPoint[], metric: string, feature = '') => metrics.find((m) => m.metric === metric && m.feature === feature);

const compare = (a: number, op: '>' | '>=' | '<' | '<=', b: number) => (op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b);

/** `baselines`: the serving model's evaluation metrics (manifest), for performance rules without their own baseline. */
export function evaluateRule(rule: Rule, metrics: readonly MetricPoint[], baselines: Record<string, number>): RuleState {
  switch (rule.kind) {
    case 'dataset_drift': {
      const m = find(metrics, 'dataset_drift');
      const share = find(metrics, 'dataset_drift_share')?.value ?? 0;
      if (!m) return { state: 'no_data' };
      return m.value === 1 ? { state: 'firing', value: share, message: `Dataset drift: ${(share * 100).toFixed(0)}% of the monitored columns drifted.` } : { state: 'ok', value: share };
    }
    case 'prediction_drift': {
      const m = find(metrics, 'prediction_drift');
      const score = find(metrics, 'prediction_drift_score');
      if (!m || !score) return { state: 'no_data' };
      return m.value === 1 ? { state: 'firing', value: score.value, message: `Prediction drift: ${score.method} score ${score.value.toPrecision(3)}.` } : { state: 'ok', value: score.value };
    }
    case 'feature_drift': {
      const m = find(metrics, 'drift_detected', rule.feature);
      const score = find(metrics, 'drift_score', rule.feature);
      if (!m || !score) return { state: 'no_data' };
      return m.value === 1 ? { state: 'firing', value: score.value, message: `Feature '${rule.feature}' drifted: ${score.method} score ${score.value.toPrecision(3)}.` } : { state: 'ok', value: score.value };
    }
    case 'threshold': {
      const m = find(metrics, rule.metric, rule.feature ?? '');
      if (!m) return { state: 'no_data' };
      const label = `${rule.metric}${rule.feature ? ` of '${rule.feature}'` : ''}`;
      return compare(m.value, rule.op, rule.value) ? { state: 'firing', value: m.value, message: `${label} is ${m.value.toPrecision(4)} (${rule.op} ${rule.value}).` } : { state: 'ok', value: m.value };
    }
    case 'performance': {
      const m = find(metrics, rule.metric);
      const baseline = rule.baseline ?? baselines[rule.metric];
      if (!m || baseline === undefined) return { state: 'no_data' };
      const lower = LOWER_IS_BETTER.has(rule.metric);
      const limit = lower ? baseline * (1 + rule.worseBy) : baseline * (1 - rule.worseBy);
      const worse = lower ? m.value > limit : m.value < limit;
      return worse
        ? { state: 'firing', value: m.value, message: `${rule.metric} ${m.value.toPrecision(4)} is worse than the baseline ${baseline.toPrecision(4)} by more than ${(rule.worseBy * 100).toFixed(0)}%.` }
        : { state: 'ok', value: m.value };
    }
  }
}

/** Refuses a malformed rule, saying how to write it. */
export function checkRule(rule: Rule, i: number): void {
  const where = `rules[${i}]`;
  const r = rule as Partial<Record<string, unknown>> & { kind?: unknown };
  if (r.severity !== undefined && !SEVERITIES.includes(r.severity as Severity)) throw invalidArgument(`${where}.severity must be one of ${SEVERITIES.join(', ')}.`, { field: `${where}.severity` });
  switch (r.kind) {
    case 'dataset_drift':
    case 'prediction_drift':
      return;
    case 'feature_drift':
      if (typeof r.feature !== 'string' || !r.feature) throw invalidArgument(`${where}: a feature_drift rule names its feature, e.g. {"kind": "feature_drift", "feature": "temp"}.`, { field: where });
      return;
    case 'threshold':
      if (typeof r.metric !== 'string' || !['>', '>=', '<', '<='].includes(r.op as string) || typeof r.value !== 'number' || !Number.isFinite(r.value)) {
        throw invalidArgument(`${where}: a threshold rule is {"kind": "threshold", "metric": "missing_share", "feature": "temp", "op": ">", "value": 0.05}.`, { field: where });
      }
      return;
    case 'performance':
      if (!PERFORMANCE_METRICS.includes(r.metric as never) || typeof r.worseBy !== 'number' || !(r.worseBy >= 0) || (r.baseline !== undefined && typeof r.baseline !== 'number')) {
        throw invalidArgument(`${where}: a performance rule is {"kind": "performance", "metric": one of ${PERFORMANCE_METRICS.join(', ')}, "worseBy": 0.2} (20% worse than the manifest's metric, or "baseline").`, { field: where });
      }
      return;
    default:
      throw invalidArgument(`${where}.kind '${String(r.kind)}' is not a rule; use dataset_drift, feature_drift, prediction_drift, threshold or performance.`, { field: `${where}.kind` });
  }
}
