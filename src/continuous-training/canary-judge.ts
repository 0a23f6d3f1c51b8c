/**
 * Judging a canary from production traffic: the labelled inference-log records since the canary
 * started, split by the model version that answered, scored with the task's metric (RMSE from the
 * `prediction` output, or accuracy from `label`). The canary wins when it is no worse than the
 * stable version on the same period.
 */
import type { InferenceLogStore } from '../serving/inference-log/inference-log-store.js';

export interface VariantScore {
  version: string;
  rows: number;
  value: number | null;
}

export interface CanaryVerdict {
  metric: 'rmse' | 'accuracy';
  stable: VariantScore;
  canary: VariantScore;
  /** null: not enough labelled rows of each variant yet. */
  canaryWins: boolean | null;
}

/** (prediction, label) pairs of one log record; a request of k records needs k labels. */
function pairs(outputs: unknown, label: unknown): { predicted: unknown; actual: unknown }[] {
  const preds = Array.isArray(outputs) ? outputs : [];
  const labels = preds.length === 1 && !Array.isArray(label) ? [label] : Array.isArray(label) ? label : [];
  if (labels.length !== preds.length) return [];
  return preds.map((p, i) => ({ predicted: p, actual: labels[i] }));
}

function score(metric: CanaryVerdict['metric'], rows: { predicted: unknown; actual: unknown }[]): number | null {
  if (rows.length === 0) return null;
  if (metric === 'rmse') {
    const sq = rows.map((r) => (Number((r.predicted as { prediction?: unknown })?.prediction) - Number(r.actual)) ** 2).filter(Number.isFinite);
    return sq.length ? Math.sqrt(sq.reduce((a, b) => a + b, 0) / sq.length) : null;
  }
  return rows.filter((r) => String((r.predicted as { label?: unknown })?.label) === String(r.actual)).length / rows.length;
}

export async function judgeCanary(
  log: InferenceLogStore,
  input: { deployment: string; from: number; to: number; stableVersion: string; canaryVersion: string; task: 'regression' | 'classification'; minRows: number },
): Promise<CanaryVerdict> {
  const metric = input.task === 'classification' ? 'accuracy' : 'rmse';
  const records = await log.readWindow({ deployment: input.deployment, from: input.from, to: input.to, variant: 'primary', labeledOnly: true, limit: 10_000_000 });
  const of = (version: string): VariantScore => {
    const rows = records.filter((r) => r.modelVersion === version).flatMap((r) => pairs(r.outputs, r.label));
    return { version, rows: rows.length, value: score(metric, rows) };
  };
  const stable = of(input.stableVersion);
  const canary = of(input.canaryVersion);
  const enough = stable.rows >= input.minRows && canary.rows >= input.minRows && stable.value !== null && canary.value !== null;
  const canaryWins = !enough ? null : metric === 'rmse' ? canary.value! <= stable.value! : canary.value! >= stable.value!;
  return { metric, stable, canary, canaryWins };
}
