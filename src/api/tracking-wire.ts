/**
 * Gyre's native JSON for tracking entities: the domain objects as they are, except doubles, which
 * JSON cannot carry as NaN/Infinity (see core/json-numbers). Shared by the server and the SDK.
 */
import type { Metric, Run } from '../tracking/entities.js';
import { decodeDouble, encodeDouble } from '../core/json-numbers.js';
import type { JsonDouble } from '../core/json-numbers.js';
import { invalidArgument } from '../core/errors.js';

export type WireMetric = Omit<Metric, 'value'> & { value: JsonDouble };
export type WireRun = Omit<Run, 'data'> & { data: Omit<Run['data'], 'metrics'> & { metrics: WireMetric[] } };

export const encodeMetric = (m: Metric): WireMetric => ({ ...m, value: encodeDouble(m.value) });
export const encodeRun = (r: Run): WireRun => ({ ...r, data: { ...r.data, metrics: r.data.metrics.map(encodeMetric) } });

export function decodeMetric(m: WireMetric | Metric): Metric {
  const value = decodeDouble(m.value);
  if (value === undefined) throw invalidArgument(`Metric '${m.key}' needs a numeric value (or "NaN", "Infinity", "-Infinity"), got ${JSON.stringify(m.value)}.`, { key: m.key });
  return { ...m, value };
}
export const decodeRun = (r: WireRun): Run => ({ ...r, data: { ...r.data, metrics: r.data.metrics.map(decodeMetric) } });
