/**
 * Reads expectation suites from JSON or YAML and checks every argument, so a bad suite fails
 * before any data is read, with an error naming the expectation and the argument.
 */
import YAML from 'yaml';
import { invalidArgument } from '../core/errors.js';
import type { Expectation, ExpectationSuite, ExpectationType } from './expectations.js';
import { COLUMN_TYPES, EXPECTATION_ARGS } from './expectations.js';

const COMMON = new Set(['type', 'severity', 'notes']);

/** Parses suite text; `source` (a file name) is used in error messages. JSON is valid YAML, so both work. */
export function parseSuiteText(text: string, source = 'suite'): ExpectationSuite {
  let value: unknown;
  try {
    value = YAML.parse(text);
  } catch (err) {
    throw invalidArgument(`${source} is not valid JSON or YAML: ${(err as Error).message.split('\n')[0]}`, { source });
  }
  return checkSuite(value, source);
}

export function checkSuite(value: unknown, source = 'suite'): ExpectationSuite {
  if (!isObject(value)) throw invalidArgument(`${source}: a suite is an object with 'name' and 'expectations'.`, { source });
  const name = value.name ?? 'suite';
  if (typeof name !== 'string' || name === '') throw invalidArgument(`${source}: 'name' must be a non-empty string.`, { source });
  if (!Array.isArray(value.expectations)) throw invalidArgument(`${source}: 'expectations' must be a list.`, { source });
  return { name, expectations: value.expectations.map((e, i) => checkExpectation(e, i, source)) };
}

function checkExpectation(e: unknown, index: number, source: string): Expectation {
  const where = (what: string) => `${source}: expectation #${index + 1}${isObject(e) && typeof e.type === 'string' ? ` (${e.type})` : ''}: ${what}`;
  const fail = (what: string, arg?: string) => invalidArgument(where(what), { source, expectation: index + 1, ...(arg ? { argument: arg } : {}) });
  if (!isObject(e)) throw fail('must be an object with a type.');
  const spec = EXPECTATION_ARGS[e.type as ExpectationType];
  if (!spec) throw fail(`unknown type '${String(e.type)}'. Known types: ${Object.keys(EXPECTATION_ARGS).join(', ')}.`, 'type');
  for (const key of Object.keys(e)) {
    if (!COMMON.has(key) && !(key in spec)) throw fail(`unknown argument '${key}'; it takes ${Object.keys(spec).join(', ')}.`, key);
  }
  if (e.severity !== undefined && e.severity !== 'error' && e.severity !== 'warn') throw fail(`'severity' must be 'error' or 'warn', got ${JSON.stringify(e.severity)}.`, 'severity');
  if (e.notes !== undefined && typeof e.notes !== 'string') throw fail("'notes' must be a string.", 'notes');
  for (const [arg, kindSpec] of Object.entries(spec)) {
    const required = kindSpec.endsWith('!');
    const kind = kindSpec.replace('!', '');
    const v = e[arg];
    if (v === undefined || v === null) {
      if (required) throw fail(`missing required argument '${arg}'.`, arg);
      continue;
    }
    const problem = argProblem(kind, v);
    if (problem) throw fail(`'${arg}' ${problem}, got ${JSON.stringify(v)}.`, arg);
  }
  const hasBounds = 'min' in spec;
  if (hasBounds && e.min === undefined && e.max === undefined) throw fail("needs 'min', 'max' or both.", 'min');
  if (typeof e.min === 'number' && typeof e.max === 'number' && e.min > e.max) throw fail(`'min' (${e.min}) is greater than 'max' (${e.max}).`, 'min');
  if (typeof e.regex === 'string') {
    try {
      new RegExp(e.regex);
    } catch (err) {
      throw fail(`'regex' is not a valid regular expression: ${(err as Error).message}.`, 'regex');
    }
  }
  return e as unknown as Expectation;
}

function argProblem(kind: string, v: unknown): string | null {
  switch (kind) {
    case 'column':
    case 'string':
      return typeof v === 'string' && v !== '' ? null : 'must be a non-empty string';
    case 'columns':
      return Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === 'string' && c !== '') && new Set(v).size === v.length ? null : 'must be a non-empty list of distinct column names';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'must be a finite number';
    case 'bound':
      return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(v) && !Number.isNaN(Date.parse(v)))
        ? null
        : "must be a number (or, for date and timestamp columns, an ISO date such as '2024-01-31')";
    case 'share':
      return typeof v === 'number' && v >= 0 && v <= 1 ? null : 'must be a number between 0 and 1';
    case 'quantile':
      return typeof v === 'number' && v >= 0 && v <= 1 ? null : 'must be a number between 0 and 1 (0.5 is the median)';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'must be true or false';
    case 'values':
      return Array.isArray(v) && v.every((x) => ['string', 'number', 'boolean'].includes(typeof x)) ? null : 'must be a list of strings, numbers or booleans';
    case 'dataType':
      return COLUMN_TYPES.includes(v as never) ? null : `must be one of ${COLUMN_TYPES.join(', ')}`;
    default:
      return null;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
