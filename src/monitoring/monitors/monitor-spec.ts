/** Checks a monitor spec before anything is stored, naming the field and how to fix it. */
import { invalidArgument } from '../../core/errors.js';
import { DRIFT_METHODS } from '../drift/column-drift.js';
import type { MonitorSpec, MonitorState } from './entities.js';
import { checkRule } from './rules.js';
import { checkSuite } from '../../data/suite-parser.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const DEFAULT_COUNT_SCHEDULE_MS = 60_000;

export function checkMonitorName(name: string): void {
  if (!NAME.test(name)) throw invalidArgument(`Monitor name '${name}' is not valid: use letters, digits, '.', '_' or '-' (at most 128, starting with a letter or digit).`, { field: 'name' });
}

const positiveInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;

export function checkMonitorSpec(spec: MonitorSpec): void {
  if (typeof spec.deployment !== 'string' || !spec.deployment) throw invalidArgument('A monitor watches a deployment: give "deployment".', { field: 'deployment' });
  if (typeof spec.profile !== 'string' || !spec.profile) throw invalidArgument("A monitor needs a reference profile: give \"profile\" (fit one with 'gyre monitor profile').", { field: 'profile' });
  const w = spec.window as { kind?: unknown; ms?: unknown; rows?: unknown } | undefined;
  if (!w || (w.kind === 'time' ? !positiveInt(w.ms) : w.kind === 'count' ? !positiveInt(w.rows) : true)) {
    throw invalidArgument('"window" is {"kind": "time", "ms": 3600000} or {"kind": "count", "rows": 1000}, with a positive integer.', { field: 'window' });
  }
  for (const field of ['scheduleMs', 'startAt', 'labelDelayMs'] as const) {
    const v = spec[field];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) throw invalidArgument(`"${field}" must be a non-negative integer of milliseconds, got ${JSON.stringify(v)}.`, { field });
  }
  if (spec.window.kind === 'count' && spec.labelDelayMs) throw invalidArgument('"labelDelayMs" needs a time window: a count window measures performance on the labels present when it closes.', { field: 'labelDelayMs' });
  if (spec.shareThreshold !== undefined && !(spec.shareThreshold > 0 && spec.shareThreshold <= 1)) throw invalidArgument('"shareThreshold" is a share of columns in (0, 1], e.g. 0.5.', { field: 'shareThreshold' });
  for (const [column, o] of Object.entries(spec.perColumn ?? {})) {
    if (o.method !== undefined && !DRIFT_METHODS.includes(o.method)) throw invalidArgument(`perColumn.${column}.method '${o.method}' is unknown; use one of ${DRIFT_METHODS.join(', ')}.`, { field: `perColumn.${column}` });
    if (o.threshold !== undefined && !(typeof o.threshold === 'number' && o.threshold >= 0)) throw invalidArgument(`perColumn.${column}.threshold must be a non-negative number.`, { field: `perColumn.${column}` });
  }
  // Checked here (regexes included), so a bad suite fails at creation, not in every window.
  if (spec.suite !== undefined) checkSuite(spec.suite, 'suite');
  if (!Array.isArray(spec.rules)) throw invalidArgument('"rules" is a list (it may be empty: figures are still recorded).', { field: 'rules' });
  spec.rules.forEach(checkRule);
}

/** Time windows align to multiples of their length, so windows are the same whoever evaluates them. */
export function initialState(spec: MonitorSpec, createdAt: number): MonitorState {
  const start = spec.startAt ?? createdAt;
  return { nextWindowStart: spec.window.kind === 'time' ? Math.floor(start / spec.window.ms) * spec.window.ms : start, lastRunAt: null, lastError: null };
}

export const scheduleOf = (spec: MonitorSpec): number => spec.scheduleMs ?? (spec.window.kind === 'time' ? spec.window.ms : DEFAULT_COUNT_SCHEDULE_MS);

/** Performance of a time window is measured this much later (the label delay rounded up to whole windows). */
export const performanceLag = (spec: MonitorSpec): number => (spec.window.kind === 'time' && spec.labelDelayMs ? Math.ceil(spec.labelDelayMs / spec.window.ms) * spec.window.ms : 0);
