/**
 * Automatic gates on protected aliases: thresholds on the candidate's run metrics and "must beat
 * the current holder on metric M". The evaluation's evidence (every value compared) is stored in
 * the alias history, whatever the verdict.
 */
import type { AliasPolicy } from './entities.js';

export interface RuleResult {
  rule: string;
  passed: boolean;
  candidate: number | null;
  holder?: number | null;
  threshold?: number;
}

export interface PolicyVerdict {
  passed: boolean;
  rules: RuleResult[];
  candidateVersion: number;
  holderVersion: number | null;
}

const TESTS = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '=': (a: number, b: number) => a === b,
} as const;

/** A missing metric fails its rule: a gate must never pass for lack of evidence. */
export function evaluatePolicy(
  policy: AliasPolicy,
  candidate: { version: number; metrics: Record<string, number> },
  holder: { version: number; metrics: Record<string, number> } | null,
): PolicyVerdict {
  const rules: RuleResult[] = [];
  for (const t of policy.thresholds ?? []) {
    const value = candidate.metrics[t.metric] ?? null;
    rules.push({ rule: `${t.metric} ${t.op} ${t.value}`, passed: value !== null && TESTS[t.op](value, t.value), candidate: value, threshold: t.value });
  }
  if (policy.mustBeat) {
    const { metric, higherIsBetter } = policy.mustBeat;
    const mine = candidate.metrics[metric] ?? null;
    const theirs = holder ? (holder.metrics[metric] ?? null) : null;
    // No holder yet: there is nothing to beat, so the rule holds if the candidate has the metric.
    const passed = mine !== null && (holder === null || (theirs !== null && (higherIsBetter ? mine > theirs : mine < theirs)));
    rules.push({ rule: `${metric} ${higherIsBetter ? 'higher' : 'lower'} than the current holder's`, passed, candidate: mine, holder: theirs });
  }
  return { passed: rules.every((r) => r.passed), rules, candidateVersion: candidate.version, holderVersion: holder?.version ?? null };
}
