/** Checks a manifest given by a user (`--manifest m.json`), field by field, naming what is wrong. */
import { invalidArgument } from '../core/errors.js';
import type { GyreModelManifest } from './manifest.js';
import { GYRE_VERSION } from '../core/version.js';

const TYPES = ['number', 'integer', 'string', 'boolean'];
const TASKS = ['classification', 'regression', 'other'];
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A full manifest from a partial one: what the user gave, checked, with defaults for the rest. */
export function parseManifest(value: unknown, fallbackName: string): GyreModelManifest {
  if (!isObj(value)) throw invalidArgument('The manifest must be a JSON object (see docs/model-package.md).', { field: 'manifest' });
  const m = value;
  const bad = (field: string, want: string) => {
    throw invalidArgument(`Manifest field '${field}' must be ${want}, got ${JSON.stringify(m[field.split(/[.[]/)[0]!])?.slice(0, 80)}.`, { field });
  };
  if (m.task !== undefined && !TASKS.includes(m.task as string)) bad('task', `one of ${TASKS.join(', ')}`);
  if (!Array.isArray(m.inputs)) bad('inputs', 'a list of features ({name, type, tensor, column?, categories?})');
  (m.inputs as unknown[]).forEach((f, i) => {
    if (!isObj(f) || typeof f.name !== 'string' || !f.name) bad(`inputs[${i}].name`, 'a non-empty string');
    const feature = f as Record<string, unknown>;
    if (!TYPES.includes(feature.type as string)) bad(`inputs[${i}].type`, `one of ${TYPES.join(', ')}`);
    if (typeof feature.tensor !== 'string') bad(`inputs[${i}].tensor`, 'the name of a graph input');
    if (feature.categories !== undefined && !Array.isArray(feature.categories)) bad(`inputs[${i}].categories`, 'a list');
    if (feature.unknownCategory !== undefined && feature.unknownCategory !== 'error' && feature.unknownCategory !== 'allow') bad(`inputs[${i}].unknownCategory`, "'error' or 'allow'");
  });
  const names = (m.inputs as { name: string }[]).map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw invalidArgument(`Manifest feature '${dup}' appears twice in inputs.`, { field: 'inputs' });
  if (m.outputs !== undefined && !Array.isArray(m.outputs)) bad('outputs', 'a list');
  if (m.inputExample !== undefined && m.inputExample !== null && !(Array.isArray(m.inputExample) && m.inputExample.every(isObj))) bad('inputExample', 'a list of records');
  if (m.metrics !== undefined && !(isObj(m.metrics) && Object.values(m.metrics).every((x) => typeof x === 'number'))) bad('metrics', 'an object of numbers');
  const lineage = isObj(m.lineage) ? m.lineage : {};
  return {
    formatVersion: 1,
    name: typeof m.name === 'string' && m.name ? m.name : fallbackName,
    task: (m.task as GyreModelManifest['task']) ?? 'other',
    ...(typeof m.description === 'string' ? { description: m.description } : {}),
    inputs: m.inputs as GyreModelManifest['inputs'],
    outputs: (m.outputs as GyreModelManifest['outputs']) ?? [],
    inputExample: (m.inputExample as GyreModelManifest['inputExample']) ?? null,
    metrics: (m.metrics as Record<string, number>) ?? {},
    lineage: {
      runId: typeof lineage.runId === 'string' ? lineage.runId : null,
      datasetVersions: Array.isArray(lineage.datasetVersions) ? (lineage.datasetVersions as GyreModelManifest['lineage']['datasetVersions']) : [],
      codeVersion: isObj(lineage.codeVersion) ? (lineage.codeVersion as GyreModelManifest['lineage']['codeVersion']) : null,
      parentModel: typeof lineage.parentModel === 'string' ? lineage.parentModel : null,
    },
    createdAt: typeof m.createdAt === 'string' ? m.createdAt : new Date().toISOString(),
    gyreVersion: GYRE_VERSION,
  };
}
