/**
 * Declarative gate rules, one per string, as people write them in CLIs and YAML:
 *
 *   auc >= 0.9                  a threshold on a test-set metric
 *   dp_difference <= 0.1        fairness gates are thresholds like any other
 *   rmse < champion             beat the champion, scored on the same held-out rows
 *   rmse <= champion * 0.98     …by 2 %
 *   roc_auc >= champion + 0.005 …by an absolute margin
 *
 * `auc` is accepted for `roc_auc`. Parsing happens before anything trains, so a typo costs nothing.
 */
import { invalidArgument } from '../../core/errors.js';

export type GateOp = '<' | '<=' | '>' | '>=';

export interface GateRule {
  /** The rule as written, for evidence. */
  text: string;
  metric: string;
  op: GateOp;
  /** A fixed threshold, or the champion's value of the same metric adjusted by `adjust`. */
  against: { kind: 'value'; value: number } | { kind: 'champion'; adjust: { op: '+' | '-' | '*'; by: number } | null };
}

const METRIC_ALIASES: Record<string, string> = { auc: 'roc_auc' };
const RULE = /^\s*([A-Za-z_][\w./:-]*)\s*(<=|>=|<|>)\s*(.+?)\s*$/;
const CHAMPION = /^champion(?:\s*([+\-*])\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?))?$/i;

export function parseGateRule(text: string): GateRule {
  const m = RULE.exec(text);
  const fix = "Write rules like 'auc >= 0.9', 'dp_difference <= 0.1' or 'rmse <= champion * 0.98'.";
  if (!m) throw invalidArgument(`Gate rule '${text}' is not '<metric> <op> <value|champion>'. ${fix}`, { field: 'gate', rule: text });
  const metric = METRIC_ALIASES[m[1]!] ?? m[1]!;
  const op = m[2] as GateOp;
  const rhs = m[3]!;
  const champion = CHAMPION.exec(rhs);
  if (champion) {
    const adjust = champion[1] ? { op: champion[1] as '+' | '-' | '*', by: Number(champion[2]) } : null;
    return { text: text.trim(), metric, op, against: { kind: 'champion', adjust } };
  }
  const value = Number(rhs);
  if (rhs === '' || !Number.isFinite(value)) throw invalidArgument(`Gate rule '${text}': '${rhs}' is neither a number nor 'champion [+|-|* number]'. ${fix}`, { field: 'gate', rule: text });
  return { text: text.trim(), metric, op, against: { kind: 'value', value } };
}

export const parseGateRules = (texts: readonly string[]): GateRule[] => texts.map(parseGateRule);

export const needsChampion = (rules: readonly GateRule[]) => rules.some((r) => r.against.kind === 'champion');
