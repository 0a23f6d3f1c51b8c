/**
 * Which window a monitor evaluates next, in the records' own timestamps (so a replay on a simulated
 * clock gets the same windows as live traffic): time windows are [start, start + ms) once
 * start + ms ≤ now; count windows are the next `rows` records (plus any sharing the last one's
 * timestamp, so no record is split from its tie), once that many have arrived before `now`.
 */
import type { InferenceLogStore } from '../../serving/inference-log/inference-log-store.js';
import type { LabeledRecord } from '../../serving/inference-log/entities.js';
import type { MonitorSpec } from './entities.js';

/** Upper bound on records read per window; a busier window is measured on its first this many (documented). */
export const MAX_WINDOW_RECORDS = 1_000_000;

export interface DueWindow {
  start: number;
  end: number;
  records: LabeledRecord[];
}

export async function nextWindow(log: InferenceLogStore, spec: MonitorSpec, start: number, now: number): Promise<DueWindow | null> {
  if (spec.window.kind === 'time') {
    const end = start + spec.window.ms;
    if (end > now) return null;
    return { start, end, records: await log.readWindow({ deployment: spec.deployment, from: start, to: end, variant: 'primary', limit: MAX_WINDOW_RECORDS }) };
  }
  const first = await log.readWindow({ deployment: spec.deployment, from: start, to: now, variant: 'primary', limit: spec.window.rows });
  if (first.length < spec.window.rows) return null;
  const end = first[first.length - 1]!.timestamp + 1;
  return { start, end, records: await log.readWindow({ deployment: spec.deployment, from: start, to: end, variant: 'primary', limit: MAX_WINDOW_RECORDS }) };
}

/** The model version that served most of a window's records (its manifest defines the features). */
export function dominantVersion(records: readonly LabeledRecord[]): { modelName: string; modelVersion: string } | null {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(`${r.modelName}\u0000${r.modelVersion}`, (counts.get(`${r.modelName}\u0000${r.modelVersion}`) ?? 0) + 1);
  let best: string | null = null;
  for (const [k, n] of counts) if (best === null || n > counts.get(best)!) best = k;
  if (best === null) return null;
  const [modelName, modelVersion] = best.split('\u0000') as [string, string];
  return { modelName, modelVersion };
}
