/** Argument checks of the registry, with MLflow's rules where MLflow has them. */
import { invalidArgument } from '../core/errors.js';
import { STAGES } from './entities.js';
import type { AliasPolicy, Stage } from './entities.js';

const MAX_NAME = 256;

/** Model names: non-empty, and no '/', '@' or ':' since those delimit model references. */
export function checkModelName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name.trim() === '') throw invalidArgument(`Registered model ${field} must be a non-empty string.`, { field });
  if (name.length > MAX_NAME) throw invalidArgument(`Registered model ${field} is ${name.length} characters; the limit is ${MAX_NAME}.`, { field });
  if (/[/@:]/.test(name)) {
    throw invalidArgument(`Registered model ${field} '${name}' contains '/', '@' or ':', which delimit model references (NAME/VERSION, NAME@ALIAS). Use '-' or '_' instead.`, { field });
  }
  return name;
}

/** MLflow's alias rules: letters, digits, '_' and '-'; not 'latest'; not 'v' + digits (reads as a version). */
export function checkAlias(alias: unknown): string {
  if (typeof alias !== 'string' || !/^[\w-]{1,255}$/.test(alias)) {
    throw invalidArgument(`Alias ${JSON.stringify(alias)} is not valid: use 1-255 letters, digits, '_' or '-'.`, { field: 'alias' });
  }
  if (alias.toLowerCase() === 'latest') throw invalidArgument("'latest' is a reserved alias name: it always means the newest version.", { field: 'alias' });
  if (/^v\d+$/i.test(alias)) throw invalidArgument(`'${alias}' is a reserved alias name: 'v<digits>' reads as a version number.`, { field: 'alias' });
  return alias;
}

/** Versions arrive as strings on MLflow's wire and numbers natively. */
export function checkVersion(version: unknown, field = 'version'): number {
  const n = typeof version === 'string' && /^\d+$/.test(version.trim()) ? Number(version) : version;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw invalidArgument(`Model version must be a positive integer, got ${JSON.stringify(version)}.`, { field });
  }
  return n;
}

export function checkStage(stage: unknown): Stage {
  const found = STAGES.find((s) => typeof stage === 'string' && s.toLowerCase() === stage.toLowerCase());
  if (!found) throw invalidArgument(`Invalid Model Version stage: ${String(stage)}. Value must be one of ${STAGES.join(', ')}.`, { field: 'stage' });
  return found;
}

export function checkTag(key: unknown, value: unknown): { key: string; value: string } {
  if (typeof key !== 'string' || key === '' || key.length > 250) throw invalidArgument(`Tag key must be a non-empty string of at most 250 characters, got ${JSON.stringify(key)}.`, { field: 'key' });
  if (typeof value !== 'string' || value.length > 5000) throw invalidArgument(`Tag '${key}' value must be a string of at most 5000 characters.`, { field: 'value' });
  return { key, value };
}

const OPS = ['<', '<=', '>', '>=', '='] as const;

export function checkPolicy(policy: unknown): AliasPolicy | null {
  if (policy === null || policy === undefined) return null;
  if (typeof policy !== 'object') throw invalidArgument('policy must be an object with thresholds and/or mustBeat.', { field: 'policy' });
  const p = policy as AliasPolicy;
  if (!p.thresholds?.length && !p.mustBeat) throw invalidArgument('policy needs at least one rule: thresholds (e.g. rmse <= 60) or mustBeat (a metric the candidate must improve).', { field: 'policy' });
  for (const [i, t] of (p.thresholds ?? []).entries()) {
    if (typeof t?.metric !== 'string' || !t.metric || !OPS.includes(t.op) || typeof t.value !== 'number' || !Number.isFinite(t.value)) {
      throw invalidArgument(`policy.thresholds[${i}] must be {metric, op (one of ${OPS.join(' ')}), value (a number)}.`, { field: `policy.thresholds[${i}]` });
    }
  }
  if (p.mustBeat && (typeof p.mustBeat.metric !== 'string' || !p.mustBeat.metric || typeof p.mustBeat.higherIsBetter !== 'boolean')) {
    throw invalidArgument('policy.mustBeat must be {metric, higherIsBetter (true or false)}.', { field: 'policy.mustBeat' });
  }
  return { ...(p.thresholds?.length ? { thresholds: p.thresholds } : {}), ...(p.mustBeat ? { mustBeat: p.mustBeat } : {}) };
}

/** Parses `rmse<=60` / `auc >= 0.9` (CLI) into a threshold rule. */
export function parseThreshold(text: string): NonNullable<AliasPolicy['thresholds']>[number] {
  const m = /^\s*([\w.\-/]+)\s*(<=|>=|<|>|=)\s*(-?[\d.]+(?:e-?\d+)?)\s*$/i.exec(text);
  if (!m) throw invalidArgument(`Threshold '${text}' is not '<metric> <op> <number>', e.g. 'rmse <= 60'.`, { field: 'threshold' });
  return { metric: m[1]!, op: m[2] as (typeof OPS)[number], value: Number(m[3]) };
}
