/**
 * Rules written as text (CLI `--rule`), e.g.
 *   dataset_drift · prediction_drift · drift(temp)
 *   missing_share(temp) > 0.05 · rows < 100 · dataset_drift_share >= 0.3
 *   rmse worse than baseline by 20% · accuracy worse than 0.85 by 5%
 * with an optional severity in brackets at the end: `drift(temp) [critical]`.
 */
import { invalidArgument } from '../../core/errors.js';
import { PERFORMANCE_METRICS, SEVERITIES } from './entities.js';
import type { PerformanceMetric, Rule, Severity } from './entities.js';

const HELP = 'Write a rule as dataset_drift, prediction_drift, drift(FEATURE), METRIC[(FEATURE)] > NUMBER (or >=, <, <=), or PERF worse than baseline|NUMBER by N% (PERF: rmse, mae, accuracy, auc), optionally ending in [info|warning|critical].';

export function parseRule(text: string): Rule {
  let body = text.trim();
  let severity: Severity | undefined;
  const sev = /\s*\[(\w+)\]$/.exec(body);
  if (sev) {
    if (!SEVERITIES.includes(sev[1] as Severity)) throw invalidArgument(`Rule '${text}': severity '${sev[1]}' is not one of ${SEVERITIES.join(', ')}.`, { field: 'rule' });
    severity = sev[1] as Severity;
    body = body.slice(0, sev.index).trim();
  }
  const withSeverity = (r: Rule): Rule => (severity ? { ...r, severity } : r);
  if (body === 'dataset_drift' || body === 'prediction_drift') return withSeverity({ kind: body });
  let m = /^drift\(([^()]+)\)$/.exec(body);
  if (m) return withSeverity({ kind: 'feature_drift', feature: m[1]!.trim() });
  m = /^(\w+) worse than (baseline|[\d.]+) by ([\d.]+)%$/.exec(body);
  if (m) {
    if (!PERFORMANCE_METRICS.includes(m[1] as PerformanceMetric)) throw invalidArgument(`Rule '${text}': '${m[1]}' is not a performance metric (${PERFORMANCE_METRICS.join(', ')}).`, { field: 'rule' });
    return withSeverity({ kind: 'performance', metric: m[1] as PerformanceMetric, worseBy: Number(m[3]) / 100, ...(m[2] === 'baseline' ? {} : { baseline: Number(m[2]) }) });
  }
  m = /^(\w+)(?:\(([^()]+)\))?\s*(>=|<=|>|<)\s*(-?[\d.]+(?:e-?\d+)?)$/.exec(body);
  if (m && Number.isFinite(Number(m[4]))) {
    return withSeverity({ kind: 'threshold', metric: m[1]!, ...(m[2] ? { feature: m[2].trim() } : {}), op: m[3] as '>' | '>=' | '<' | '<=', value: Number(m[4]) });
  }
  throw invalidArgument(`Rule '${text}' is not understood. ${HELP}`, { field: 'rule' });
}

/** `90s`, `15m`, `1h`, `7d`, `250ms`, or milliseconds. */
export function parseDuration(text: string, field: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw invalidArgument(`--${field} '${text}' is not a duration; write e.g. 90s, 15m, 1h, 7d (or milliseconds).`, { field });
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Math.round(Number(m[1]) * unit);
}

/** ISO 8601 or epoch milliseconds. */
export function parseTime(text: string, field: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw invalidArgument(`--${field} '${text}' is not a time; write ISO 8601 (2012-01-01T00:00:00Z) or epoch milliseconds.`, { field });
  return t;
}
