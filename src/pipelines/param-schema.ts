/**
 * Declared params of a step: each has a type and maybe a default. Values are checked when the
 * pipeline is defined and again when a run overrides them, so a typo fails before anything runs.
 */
import { invalidArgument } from '../core/errors.js';

export type ParamSpec =
  | { type: 'number'; default?: number; min?: number; max?: number; integer?: boolean }
  | { type: 'string'; default?: string; oneOf?: readonly string[] }
  | { type: 'boolean'; default?: boolean }
  | { type: 'json'; default?: unknown };

export type ParamSchema = Record<string, ParamSpec>;

type ValueOf<S extends ParamSpec> = S extends { type: 'number' } ? number : S extends { type: 'string' } ? string : S extends { type: 'boolean' } ? boolean : unknown;
/** The params object a step function receives, typed from its schema. */
export type ParamValues<S extends ParamSchema> = { [K in keyof S]: ValueOf<S[K]> };

/** Applies defaults and checks every value; the error names the step and the param. */
export function resolveParams(step: string, schema: ParamSchema, given: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(given)) {
    if (!(key in schema)) {
      const known = Object.keys(schema);
      throw invalidArgument(`Step '${step}' has no param '${key}'. Declared params: ${known.length ? known.join(', ') : '(none)'}.`, { step, param: key });
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = key in given ? given[key] : spec.default;
    if (value === undefined) throw invalidArgument(`Step '${step}' needs param '${key}' (${spec.type}) and it has no default. Give it a value.`, { step, param: key });
    checkValue(step, key, spec, value);
    out[key] = value;
  }
  return out;
}

function checkValue(step: string, key: string, spec: ParamSpec, value: unknown): void {
  const bad = (why: string) => invalidArgument(`Param '${key}' of step '${step}' ${why}, got ${JSON.stringify(value)}.`, { step, param: key });
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('must be a finite number');
      if (spec.integer && !Number.isInteger(value)) throw bad('must be an integer');
      if (spec.min !== undefined && value < spec.min) throw bad(`must be at least ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) throw bad(`must be at most ${spec.max}`);
      return;
    case 'string':
      if (typeof value !== 'string') throw bad('must be a string');
      if (spec.oneOf && !spec.oneOf.includes(value)) throw bad(`must be one of ${spec.oneOf.join(', ')}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad('must be true or false');
      return;
    case 'json':
      return;
  }
}
