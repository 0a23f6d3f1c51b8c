/**
 * Parser for the experiment-search filter and order_by languages: MLflow's `search_experiments`
 * syntax (attributes `name`, `creation_time`, `last_update_time`, bare or prefixed, and
 * `tags.<key>`), with the run filter's extensions of OR, parentheses and IN / NOT IN. The lexical
 * rules and the AND/OR skeleton come from the shared scanner, so quoting and errors read the same
 * as in the run search box.
 */
import {
  EXPERIMENT_NUMERIC_ATTRIBUTES,
  EXPERIMENT_ORDER_ATTRIBUTES,
  EXPERIMENT_STRING_ATTRIBUTES,
} from './filter-ast.js';
import type {
  ExperimentComparison,
  ExperimentFilterExpr,
  ExperimentNumericAttribute,
  ExperimentNumericField,
  ExperimentOrderAttribute,
  ExperimentOrderKey,
  ExperimentStringAttribute,
  ExperimentStringField,
} from './filter-ast.js';
import { lookup, parseBooleanFilter, scanComparison, scanOrderClause } from './filter-scanner.js';
import type { IdentifierSyntax, Scanner } from './filter-scanner.js';

type ExperimentEntity = 'attribute' | 'tag';

const EXPERIMENT_IDENTIFIERS: IdentifierSyntax<ExperimentEntity> = {
  prefixes: { attribute: 'attribute', attributes: 'attribute', tag: 'tag', tags: 'tag' },
  validPrefixes: 'attributes, tags',
  example: "name or tags.<key>",
};
const VALID_ATTRIBUTES = [...EXPERIMENT_STRING_ATTRIBUTES, ...EXPERIMENT_NUMERIC_ATTRIBUTES].join(', ');
const VALID_ORDER_KEYS = EXPERIMENT_ORDER_ATTRIBUTES.join(', ');

type Field = ExperimentStringField | ExperimentNumericField;

function isNumericAttribute(key: string): key is ExperimentNumericAttribute {
  return (EXPERIMENT_NUMERIC_ATTRIBUTES as readonly string[]).includes(key);
}

function isStringAttribute(key: string): key is ExperimentStringAttribute {
  return (EXPERIMENT_STRING_ATTRIBUTES as readonly string[]).includes(key);
}

/** Reads `name`, `attributes.name`, `tags.<key>`, … and checks the attribute exists. */
function readField(s: Scanner): Field {
  const id = s.identifier(EXPERIMENT_IDENTIFIERS, true);
  if (id.type === 'tag') return { type: 'tag', key: id.key };
  if (isNumericAttribute(id.key)) return { type: 'attribute', key: id.key };
  if (isStringAttribute(id.key)) return { type: 'attribute', key: id.key };
  if (id.type === null && lookup(EXPERIMENT_IDENTIFIERS.prefixes, id.key.toLowerCase())) {
    return s.fail(`missing '.<key>' after '${id.key}'`, id.offset + id.key.length);
  }
  const hint = id.type === null ? '; use tags.<key> to compare a tag' : '';
  return s.fail(`unknown attribute '${id.key}'; valid attributes are ${VALID_ATTRIBUTES}${hint}`, id.offset);
}

function isNumericField(field: Field): field is ExperimentNumericField {
  return field.type === 'attribute' && isNumericAttribute(field.key);
}

function describe(field: Field): string {
  return `${field.type} '${field.key}'`;
}

function parseComparison(s: Scanner): ExperimentComparison {
  const field = readField(s);
  return scanComparison<ExperimentNumericField, ExperimentStringField>(s, field, isNumericField, describe(field));
}

/**
 * Parses an experiment-search filter into an AST; returns null when the filter is absent or
 * blank, which callers treat as "match every experiment".
 *
 * @example
 * parseExperimentFilter(`name LIKE 'churn-%' AND (tags.team = 'ml' OR creation_time > 1700000000000)`)
 * @throws GyreError INVALID_ARGUMENT with details `{ filter, offset }` when the text is malformed.
 */
export function parseExperimentFilter(text: string | undefined): ExperimentFilterExpr | null {
  return parseBooleanFilter(text, parseComparison);
}

function readOrderKey(s: Scanner): ExperimentOrderAttribute {
  const id = s.identifier(EXPERIMENT_IDENTIFIERS, true);
  if (id.type === 'tag') {
    return s.fail(`experiments cannot be ordered by tags; valid keys are ${VALID_ORDER_KEYS}`, id.offset);
  }
  if ((EXPERIMENT_ORDER_ATTRIBUTES as readonly string[]).includes(id.key)) return id.key as ExperimentOrderAttribute;
  return s.fail(`unknown order_by key '${id.key}'; valid keys are ${VALID_ORDER_KEYS}`, id.offset);
}

/**
 * Parses experiments `order_by` clauses: `name`, `experiment_id`, `creation_time` or
 * `last_update_time`, optionally prefixed `attributes.`, then ASC (the default) or DESC.
 *
 * @example
 * parseExperimentOrderBy(['last_update_time DESC']) // [{ key: 'last_update_time', ascending: false }]
 * @throws GyreError INVALID_ARGUMENT with details `{ orderBy, index, offset }`.
 */
export function parseExperimentOrderBy(clauses: string[] | undefined): ExperimentOrderKey[] {
  return (clauses ?? []).map((clause, index) => {
    const { key, ascending } = scanOrderClause(clause, index, 'creation_time DESC', readOrderKey);
    return { key, ascending };
  });
}
