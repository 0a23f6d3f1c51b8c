import { describe, expect, it } from 'vitest';
import { parseGateRule, parseGateRules, needsChampion } from './gate-rules.js';
import { decideGate } from './gate-decision.js';

describe('gate rules', () => {
  it('parse thresholds, champion comparisons with margins, and the auc alias', () => {
    expect(parseGateRule('auc >= 0.9')).toEqual({ text: 'auc >= 0.9', metric: 'roc_auc', op: '>=', against: { kind: 'value', value: 0.9 } });
    expect(parseGateRule(' dp_difference<=0.1 ').against).toEqual({ kind: 'value', value: 0.1 });
    expect(parseGateRule('rmse < champion').against).toEqual({ kind: 'champion', adjust: null });
    expect(parseGateRule('rmse <= champion * 0.98').against).toEqual({ kind: 'champion', adjust: { op: '*', by: 0.98 } });
    expect(parseGateRule('roc_auc >= champion + 0.005').against).toEqual({ kind: 'champion', adjust: { op: '+', by: 0.005 } });
    expect(needsChampion(parseGateRules(['auc >= 0.9']))).toBe(false);
    expect(needsChampion(parseGateRules(['auc >= 0.9', 'rmse < champion']))).toBe(true);
  });

  it('refuse malformed rules with the fix in the message', () => {
    expect(() => parseGateRule('auc is high')).toThrow(/not '<metric> <op> <value\|champion>'.*auc >= 0.9/);
    expect(() => parseGateRule('auc >= high')).toThrow(/'high' is neither a number nor 'champion/);
    expect(() => parseGateRule('auc == 0.9')).toThrow(/Gate rule/);
    expect(() => parseGateRule('rmse < champion / 2')).toThrow(/neither a number/);
  });
});

describe('gate decisions', () => {
  const rules = parseGateRules(['auc >= 0.9', 'dp_difference <= 0.1', 'log_loss <= champion * 0.99']);

  it('pass only when every rule holds, and keep the evidence of each', () => {
    const d = decideGate(rules, { roc_auc: 0.93, dp_difference: 0.05, log_loss: 0.28 }, { ref: 'm@champion', version: 3, metrics: { log_loss: 0.3 } });
    expect(d.passed).toBe(true);
    expect(d.rules.map((r) => [r.rule, r.value, r.reference, r.passed])).toEqual([
      ['auc >= 0.9', 0.93, 0.9, true],
      ['dp_difference <= 0.1', 0.05, 0.1, true],
      ['log_loss <= champion * 0.99', 0.28, 0.297, true],
    ]);
    expect(d.rules[2]!.champion).toBe(0.3);
    expect(d.champion).toEqual({ ref: 'm@champion', version: 3 });
    expect(d.summary).toMatch(/All 3 rule\(s\) passed against m@champion \(version 3\)/);
  });

  it('fail on any broken rule, and on a missing metric (never pass for lack of evidence)', () => {
    const d = decideGate(rules, { roc_auc: 0.95, log_loss: 0.299 }, { ref: 'm@champion', version: 3, metrics: { log_loss: 0.3 } });
    expect(d.passed).toBe(false);
    expect(d.rules.filter((r) => !r.passed).map((r) => r.rule)).toEqual(['dp_difference <= 0.1', 'log_loss <= champion * 0.99']);
    expect(d.summary).toMatch(/Failed 2 of 3.*dp_difference <= 0.1 \(value missing/);
  });

  it('with no champion yet, champion rules pass if the challenger has the metric', () => {
    const d = decideGate(parseGateRules(['rmse < champion']), { rmse: 40 }, null);
    expect(d.passed).toBe(true);
    expect(d.summary).toMatch(/no champion yet/);
    expect(decideGate(parseGateRules(['rmse < champion']), {}, null).passed).toBe(false);
  });

  it('a champion lacking the metric fails the comparison', () => {
    expect(decideGate(parseGateRules(['rmse < champion']), { rmse: 40 }, { ref: 'm@c', version: 1, metrics: {} }).passed).toBe(false);
  });
});
