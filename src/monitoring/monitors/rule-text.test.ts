import { describe, expect, it } from 'vitest';
import { parseDuration, parseRule, parseTime } from './rule-text.js';
import { rejection } from '../../test-support/expect-invalid-argument.js';

describe('rules as text', () => {
  it('reads every rule kind, with an optional severity', () => {
    expect(parseRule('dataset_drift')).toEqual({ kind: 'dataset_drift' });
    expect(parseRule('prediction_drift [critical]')).toEqual({ kind: 'prediction_drift', severity: 'critical' });
    expect(parseRule('drift(temp)')).toEqual({ kind: 'feature_drift', feature: 'temp' });
    expect(parseRule('missing_share(temp) > 0.05')).toEqual({ kind: 'threshold', metric: 'missing_share', feature: 'temp', op: '>', value: 0.05 });
    expect(parseRule('rows<100 [info]')).toEqual({ kind: 'threshold', metric: 'rows', op: '<', value: 100, severity: 'info' });
    expect(parseRule('rmse worse than baseline by 20%')).toEqual({ kind: 'performance', metric: 'rmse', worseBy: 0.2 });
    expect(parseRule('accuracy worse than 0.85 by 5%')).toEqual({ kind: 'performance', metric: 'accuracy', worseBy: 0.05, baseline: 0.85 });
  });

  it('refuses what it cannot read, saying how to write it', () => {
    expect(rejection(() => parseRule('temp is weird')).message).toMatch(/not understood. Write a rule as dataset_drift/);
    expect(rejection(() => parseRule('f1 worse than baseline by 5%')).message).toMatch(/'f1' is not a performance metric/);
    expect(rejection(() => parseRule('dataset_drift [urgent]')).message).toMatch(/severity 'urgent'/);
  });

  it('reads durations and times', () => {
    expect([parseDuration('90s', 'w'), parseDuration('1h', 'w'), parseDuration('7d', 'w'), parseDuration('250', 'w')]).toEqual([90_000, 3_600_000, 604_800_000, 250]);
    expect(parseTime('2012-01-01T00:00:00Z', 't')).toBe(Date.UTC(2012, 0, 1));
    expect(rejection(() => parseDuration('soon', 'window')).message).toMatch(/--window 'soon' is not a duration/);
    expect(rejection(() => parseTime('yesterday', 'now')).message).toMatch(/--now 'yesterday' is not a time/);
  });
});
