/**
 * A retraining policy as a person writes it (YAML or JSON), checked field by field: every problem
 * names the field and says what it accepts, and nothing is stored until the whole policy is valid.
 */
import { invalidArgument } from '../core/errors.js';
import { checkModelKind, checkParams } from '../training/fitted-model.js';
import type { ParamValues } from '../training/fitted-model.js';
import { parseGateRules } from '../training/gates/gate-rules.js';
import { parseSearchSpace } from '../training/search/search-space.js';
import fs from 'node:fs';
import path from 'node:path';
import type { PipelineTrainer, RetrainingPolicy } from './entities.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(field: string, what: string): never {
  throw invalidArgument(`Retraining policy: ${field} must be ${what}.`, { field });
}

const str = (o: Obj, k: string, path: string, required = true): string | undefined => {
  const v = o[k];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') bad(`${path}${k}`, 'a non-empty string');
  return v;
};

const num = (o: Obj, k: string, path: string, lo: number, hi: number, fallback?: number): number => {
  const v = o[k] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) bad(`${path}${k}`, `a number in [${lo}, ${hi}]`);
  return v;
};

const KNOWN: Record<string, string[]> = {
  '': ['deployment', 'model', 'alias', 'target', 'features', 'trainer', 'data', 'evaluationDays', 'gates', 'triggers', 'rollout', 'guardRails'],
  'trainer.': ['model', 'params', 'search', 'sensitive', 'pipeline'],
  'data.': ['dataset', 'timeColumn', 'hourColumn', 'windowDays', 'includeInferenceLog'],
  'triggers.': ['everyDays', 'onAlerts'],
  'guardRails.': ['coolDownHours', 'maxPerWeek'],
};

function noUnknown(o: Obj, path: string): void {
  for (const k of Object.keys(o)) if (!KNOWN[path]!.includes(k)) bad(`${path}${k}`, `one of the known fields (${KNOWN[path]!.join(', ')}); '${k}' is not`);
}

function parsePipelineTrainer(v: unknown): PipelineTrainer {
  if (!isObj(v)) bad('trainer.pipeline', 'an object { file, trainData, evaluationData? }');
  for (const k of Object.keys(v)) if (!['file', 'trainData', 'evaluationData'].includes(k)) bad(`trainer.pipeline.${k}`, 'not set (known: file, trainData, evaluationData)');
  const file = str(v, 'file', 'trainer.pipeline.')!;
  if (!fs.existsSync(file)) bad('trainer.pipeline.file', `an existing pipeline file; '${file}' does not exist`);
  return { file: path.resolve(file), trainData: path.resolve(str(v, 'trainData', 'trainer.pipeline.')!), ...(v.evaluationData !== undefined ? { evaluationData: path.resolve(str(v, 'evaluationData', 'trainer.pipeline.')!) } : {}) };
}

function parseRollout(v: unknown): RetrainingPolicy['rollout'] {
  if (v === undefined || v === 'promote') return 'promote';
  const what = "'promote' or { strategy: canary, percent: 1..99, observeHours: > 0 }";
  if (!isObj(v) || v.strategy !== 'canary') bad('rollout', what);
  for (const k of Object.keys(v)) if (!['strategy', 'percent', 'observeHours'].includes(k)) bad(`rollout.${k}`, 'not set (known: strategy, percent, observeHours)');
  return { strategy: 'canary', percent: num(v, 'percent', 'rollout.', 1, 99, 10), observeHours: num(v, 'observeHours', 'rollout.', 0.01, 24 * 90, 24) };
}

/** `deployment` may come from the command line; the file's value must then agree. */
export function parseRetrainingPolicy(input: unknown, deployment?: string): RetrainingPolicy {
  if (!isObj(input)) bad('the policy', 'an object (YAML or JSON)');
  noUnknown(input, '');
  const dep = input.deployment === undefined && deployment ? deployment : str(input, 'deployment', '')!;
  if (deployment && dep !== deployment) bad('deployment', `'${deployment}' (the deployment named on the command line), not '${dep}'`);
  const trainer = isObj(input.trainer) ? input.trainer : input.trainer === undefined ? {} : bad('trainer', 'an object');
  noUnknown(trainer, 'trainer.');
  const kind = checkModelKind(String(trainer.model ?? 'gbdt'));
  if (trainer.params !== undefined && !isObj(trainer.params)) bad('trainer.params', 'an object of trainer parameters');
  const params = (trainer.params ?? {}) as ParamValues;
  checkParams(kind, params);
  if (trainer.search !== undefined && !isObj(trainer.search)) bad('trainer.search', "an object like { space: 'default', trials: 12 }");
  if (isObj(trainer.search)) parseSearchSpace(String(trainer.search.space ?? ''), kind);
  const sensitive = str(trainer, 'sensitive', 'trainer.', false);
  const pipeline = trainer.pipeline === undefined ? undefined : parsePipelineTrainer(trainer.pipeline);
  const data = isObj(input.data) ? input.data : bad('data', 'an object with at least windowDays');
  noUnknown(data, 'data.');
  const dataset = str(data, 'dataset', 'data.', false);
  const timeColumn = str(data, 'timeColumn', 'data.', false);
  if (dataset && !timeColumn) bad('data.timeColumn', 'set when data.dataset is (it windows the dataset by time)');
  const hourColumn = str(data, 'hourColumn', 'data.', false);
  if (data.includeInferenceLog !== undefined && typeof data.includeInferenceLog !== 'boolean') bad('data.includeInferenceLog', 'true or false');
  const windowDays = num(data, 'windowDays', 'data.', 1, 3650);
  const evaluationDays = num(input, 'evaluationDays', '', 1, 365, 7);
  if (evaluationDays >= windowDays) bad('evaluationDays', `smaller than data.windowDays (${windowDays}): the evaluation days are the newest part of the window`);
  if (input.gates !== undefined && !(Array.isArray(input.gates) && input.gates.every((g) => typeof g === 'string'))) bad('gates', "a list of rules such as 'rmse <= champion * 0.98'");
  const gates = input.gates as string[] | undefined;
  if (gates) parseGateRules(gates);
  const triggers = isObj(input.triggers) ? input.triggers : bad('triggers', 'an object with everyDays and/or onAlerts');
  noUnknown(triggers, 'triggers.');
  const everyDays = triggers.everyDays === undefined ? undefined : num(triggers, 'everyDays', 'triggers.', 0.01, 365);
  const onAlerts = triggers.onAlerts;
  if (onAlerts !== undefined && typeof onAlerts !== 'boolean' && !(Array.isArray(onAlerts) && onAlerts.every((a) => typeof a === 'string'))) bad('triggers.onAlerts', 'true, false, or a list of alert rule names');
  if (everyDays === undefined && !onAlerts) bad('triggers', 'at least one trigger: everyDays, or onAlerts');
  const rollout = parseRollout(input.rollout);
  const rails = isObj(input.guardRails) ? input.guardRails : input.guardRails === undefined ? {} : bad('guardRails', 'an object');
  noUnknown(rails, 'guardRails.');
  if (input.features !== undefined && !(Array.isArray(input.features) && input.features.every((f) => typeof f === 'string'))) bad('features', 'a list of column names');
  return {
    deployment: dep,
    model: str(input, 'model', '')!,
    alias: str(input, 'alias', '', false) ?? 'champion',
    target: str(input, 'target', '')!,
    ...(input.features ? { features: input.features as string[] } : {}),
    trainer: { model: kind, ...(trainer.params ? { params } : {}), ...(isObj(trainer.search) ? { search: trainer.search as never } : {}), ...(sensitive ? { sensitive } : {}), ...(pipeline ? { pipeline } : {}) },
    data: { ...(dataset ? { dataset } : {}), ...(timeColumn ? { timeColumn } : {}), ...(hourColumn ? { hourColumn } : {}), windowDays, includeInferenceLog: data.includeInferenceLog !== false },
    evaluationDays,
    ...(gates ? { gates } : {}),
    triggers: { ...(everyDays !== undefined ? { everyDays } : {}), ...(onAlerts !== undefined ? { onAlerts: onAlerts as boolean | string[] } : {}) },
    rollout,
    guardRails: { coolDownHours: num(rails, 'coolDownHours', 'guardRails.', 0, 24 * 365, 24), maxPerWeek: num(rails, 'maxPerWeek', 'guardRails.', 1, 1000, 7) },
  };
}
