/**
 * Deciding a gate: every rule checked against the challenger's test-set metrics (and, for
 * champion rules, the champion's metrics on the same rows), with the evidence kept whatever the
 * verdict. Conventions, as the registry's alias policies: a missing metric fails its rule (a gate
 * never passes for lack of evidence); with no champion yet, champion rules pass (nothing to beat).
 */
import type { GateRule } from './gate-rules.js';

export interface RuleVerdict {
  rule: string;
  metric: string;
  passed: boolean;
  /** The challenger's value. */
  value: number | null;
  /** The threshold it was compared with (for champion rules: the adjusted champion value). */
  reference?: number | null;
  /** Champion rules: the champion's own value. */
  champion?: number | null;
}

export interface GateDecision {
  passed: boolean;
  rules: RuleVerdict[];
  champion: { ref: string; version: number } | null;
  summary: string;
  decidedAt: string;
}

const COMPARE = { '<': (a: number, b: number) => a < b, '<=': (a: number, b: number) => a <= b, '>': (a: number, b: number) => a > b, '>=': (a: number, b: number) => a >= b } as const;

function adjusted(value: number, adjust: { op: '+' | '-' | '*'; by: number } | null): number {
  if (!adjust) return value;
  return adjust.op === '+' ? value + adjust.by : adjust.op === '-' ? value - adjust.by : value * adjust.by;
}

export function decideGate(
  rules: readonly GateRule[],
  challenger: Record<string, number>,
  champion: { ref: string; version: number; metrics: Record<string, number> } | null,
  now = new Date(),
): GateDecision {
  const verdicts = rules.map((r): RuleVerdict => {
    const value = Number.isFinite(challenger[r.metric]) ? challenger[r.metric]! : null;
    if (r.against.kind === 'value') {
      return { rule: r.text, metric: r.metric, value, reference: r.against.value, passed: value !== null && COMPARE[r.op](value, r.against.value) };
    }
    if (!champion) return { rule: r.text, metric: r.metric, value, reference: null, champion: null, passed: value !== null };
    const theirs = Number.isFinite(champion.metrics[r.metric]) ? champion.metrics[r.metric]! : null;
    const reference = theirs === null ? null : adjusted(theirs, r.against.adjust);
    return { rule: r.text, metric: r.metric, value, reference, champion: theirs, passed: value !== null && reference !== null && COMPARE[r.op](value, reference) };
  });
  const failed = verdicts.filter((v) => !v.passed);
  const passed = failed.length === 0;
  const vs = champion ? ` against ${champion.ref} (version ${champion.version}) on the same held-out rows` : rules.some((r) => r.against.kind === 'champion') ? ' (no champion yet: champion rules pass)' : '';
  const summary = passed
    ? `All ${verdicts.length} rule(s) passed${vs}.`
    : `Failed ${failed.length} of ${verdicts.length} rule(s)${vs}: ${failed.map((f) => `${f.rule} (value ${f.value ?? 'missing'}${f.reference !== undefined ? `, reference ${f.reference ?? 'missing'}` : ''})`).join('; ')}.`;
  return { passed, rules: verdicts, champion: champion ? { ref: champion.ref, version: champion.version } : null, summary, decidedAt: now.toISOString() };
}
