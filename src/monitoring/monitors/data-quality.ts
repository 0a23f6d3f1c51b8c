/**
 * Data quality of one window, per feature, against the model's manifest (types, allowed
 * categories) and the reference profile (range): shares of missing values, type errors, unseen
 * categories and out-of-range values. Returns the values fit for drift scoring (wrong types become
 * missing) beside the figures.
 */
import type { FeatureSpec } from '../../models/manifest.js';
import type { ColumnProfile } from '../profiles/entities.js';
import { isMissing } from '../profiles/fit-profile.js';
import type { MetricPoint } from './entities.js';

export interface FeatureQuality {
  metrics: MetricPoint[];
  /** The column with type errors replaced by null, for drift. */
  clean: unknown[];
}

function typeOk(spec: FeatureSpec, v: unknown): boolean {
  switch (spec.type) {
    case 'number':
      return typeof v === 'number';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
  }
}

export function featureQuality(spec: FeatureSpec, values: readonly unknown[], profile: ColumnProfile | undefined): FeatureQuality {
  const n = values.length;
  const allowed = spec.categories ? new Set(spec.categories.map(String)) : profile?.kind === 'categorical' ? new Set(profile.categories.map(String)) : null;
  const range = profile?.kind === 'numeric' && profile.count > 0 ? { min: profile.min, max: profile.max } : null;
  let missing = 0;
  let typeErrors = 0;
  let unseen = 0;
  let outOfRange = 0;
  const clean = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isMissing(v)) {
      missing++;
      clean[i] = null;
      continue;
    }
    if (!typeOk(spec, v)) {
      typeErrors++;
      clean[i] = null;
      continue;
    }
    clean[i] = v;
    if (allowed && !allowed.has(String(v))) unseen++;
    if (range && ((v as number) < range.min || (v as number) > range.max)) outOfRange++;
  }
  const share = (k: number) => (n === 0 ? 0 : k / n);
  const metrics: MetricPoint[] = [
    { metric: 'missing_share', feature: spec.name, method: '', value: share(missing) },
    { metric: 'type_error_share', feature: spec.name, method: '', value: share(typeErrors) },
  ];
  if (allowed) metrics.push({ metric: 'unseen_category_share', feature: spec.name, method: '', value: share(unseen) });
  if (range) metrics.push({ metric: 'out_of_range_share', feature: spec.name, method: '', value: share(outOfRange) });
  return { metrics, clean };
}
