/**
 * The pieces every in-memory filter evaluator shares (experiments, registered models, model
 * versions): numeric tests, string tests with MLflow's LIKE/ILIKE, code-unit string order.
 */
import type { ListComparison, NumericOperator, StringComparison } from './filter-ast.js';

export const NUMERIC_TESTS: Readonly<Record<NumericOperator, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

const ANY_RUN = Symbol('%');
const ONE_CHAR = Symbol('_');
type LikeToken = typeof ANY_RUN | typeof ONE_CHAR | string;

/**
 * Compiles a LIKE pattern: `%` is any run of characters, `_` exactly one, `\` makes the next
 * character literal. Matching is the two-pointer wildcard walk rather than a RegExp, so a pattern
 * full of `%` cannot backtrack exponentially against a long tag value.
 */
export function likeMatcher(pattern: string, ignoreCase: boolean): (value: string) => boolean {
  const fold = ignoreCase ? (ch: string) => ch.toLowerCase() : (ch: string) => ch;
  const chars = Array.from(pattern);
  const tokens: LikeToken[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    // The parser refuses a trailing lone backslash, so an escape always has a character to take.
    if (ch === '\\') tokens.push(fold(chars[++i]!));
    else if (ch === '%') tokens.push(ANY_RUN);
    else if (ch === '_') tokens.push(ONE_CHAR);
    else tokens.push(fold(ch!));
  }
  return (value) => {
    const text = Array.from(value, fold);
    let t = 0;
    let p = 0;
    let lastAnyRun = -1;
    let resumeAt = 0;
    while (t < text.length) {
      const token = tokens[p];
      if (p < tokens.length && token !== ANY_RUN && (token === ONE_CHAR || token === text[t])) {
        p++;
        t++;
      } else if (token === ANY_RUN) {
        // Try the shortest run first; on a later mismatch, let this % swallow one more character.
        lastAnyRun = p++;
        resumeAt = t;
      } else if (lastAnyRun >= 0) {
        p = lastAnyRun + 1;
        t = ++resumeAt;
      } else {
        return false;
      }
    }
    while (tokens[p] === ANY_RUN) p++;
    return p === tokens.length;
  };
}

export function stringTest(comparison: StringComparison<unknown> | ListComparison<unknown>): (value: string) => boolean {
  if (comparison.kind === 'list') {
    const values = new Set(comparison.values);
    return comparison.op === 'IN' ? (v) => values.has(v) : (v) => !values.has(v);
  }
  const expected = comparison.value;
  switch (comparison.op) {
    case '=':
      return (v) => v === expected;
    case '!=':
      return (v) => v !== expected;
    case 'LIKE':
      return likeMatcher(expected, false);
    case 'ILIKE':
      return likeMatcher(expected, true);
  }
}

/** Code-unit order, not localeCompare: the same on every machine, whatever its locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
