/**
 * Parser for the run-search filter and order_by languages. The filter is MLflow's `search_runs`
 * syntax extended with OR and parentheses (AND binds tighter than OR), and IN / NOT IN on every
 * string field. Every rejection is an INVALID_ARGUMENT naming what was wrong, the character offset
 * and what would have been valid, because these strings are typed by people in a search box.
 * The lexical rules and the AND/OR skeleton live in filter-scanner.ts, shared with the experiment
 * filter; this module owns the run vocabulary and which comparators apply to which field.
 */
import {
  ATTRIBUTE_ALIASES,
  DATASET_KEYS,
  NUMERIC_ATTRIBUTES,
  STRING_ATTRIBUTES,
} from './filter-ast.js';
import type {
  Comparison,
  DatasetKey,
  EntityType,
  FilterExpr,
  NumericAttribute,
  NumericField,
  OrderKey,
  StringAttribute,
  StringField,
} from './filter-ast.js';
import { lookup, parseBooleanFilter, scanComparison, scanOrderClause } from './filter-scanner.js';
import type { Fail, Identifier, IdentifierSyntax, Scanner } from './filter-scanner.js';

const RUN_IDENTIFIERS: IdentifierSyntax<EntityType> = {
  prefixes: {
    metric: 'metric',
    metrics: 'metric',
    param: 'param',
    params: 'param',
    parameter: 'param',
    parameters: 'param',
    tag: 'tag',
    tags: 'tag',
    attribute: 'attribute',
    attributes: 'attribute',
    attr: 'attribute',
    run: 'attribute',
    dataset: 'dataset',
    datasets: 'dataset',
  },
  validPrefixes: 'metrics, params, tags, attributes, datasets',
  example: 'metrics.rmse',
};
const VALID_ORDER_PREFIXES = 'metrics, params, tags, attributes';
const VALID_ATTRIBUTES = [...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES, 'created'].join(', ');

function canonicalAttribute(key: string, offset: number, fail: Fail): StringAttribute | NumericAttribute {
  const alias = lookup(ATTRIBUTE_ALIASES, key);
  if (alias) return alias;
  if ((STRING_ATTRIBUTES as readonly string[]).includes(key)) return key as StringAttribute;
  if ((NUMERIC_ATTRIBUTES as readonly string[]).includes(key)) return key as NumericAttribute;
  return fail(`unknown attribute '${key}'; valid attributes are ${VALID_ATTRIBUTES}`, offset);
}

function datasetKey(key: string, offset: number, fail: Fail): DatasetKey {
  if ((DATASET_KEYS as readonly string[]).includes(key)) return key as DatasetKey;
  return fail(`unknown dataset field '${key}'; valid fields are ${DATASET_KEYS.join(', ')}`, offset);
}

/** Resolves an identifier to a typed field, checking attribute and dataset keys. */
function resolveField(id: Identifier<EntityType>, fail: Fail): NumericField | StringField {
  switch (id.type) {
    case 'metric':
      return { type: 'metric', key: id.key };
    case 'param':
    case 'tag':
      return { type: id.type, key: id.key };
    case 'dataset':
      return { type: 'dataset', key: datasetKey(id.key, id.offset, fail) };
    case 'attribute': {
      const key = canonicalAttribute(id.key, id.offset, fail);
      // Identical-looking branches: each narrows `key` to the member type its field needs.
      return isNumericAttribute(key) ? { type: 'attribute', key } : { type: 'attribute', key };
    }
  }
}

function isNumericAttribute(key: string): key is NumericAttribute {
  return (NUMERIC_ATTRIBUTES as readonly string[]).includes(key);
}

function isNumericField(field: NumericField | StringField): field is NumericField {
  return field.type === 'metric' || (field.type === 'attribute' && isNumericAttribute(field.key));
}

function describe(field: NumericField | StringField): string {
  return `${field.type} '${field.key}'`;
}

function parseComparison(s: Scanner): Comparison {
  const id = s.identifier(RUN_IDENTIFIERS, false);
  const field = resolveField(id, s.fail);
  return scanComparison<NumericField, StringField>(s, field, isNumericField, describe(field));
}

/**
 * Parses a run-search filter into an AST; returns null when the filter is absent or blank, which
 * callers treat as "match every run".
 *
 * @example
 * parseFilter(`metrics.rmse < 0.5 AND (params.model = 'xgb' OR tags."mlflow.user" LIKE 'ali%')`)
 * @throws GyreError INVALID_ARGUMENT with details `{ filter, offset }` when the text is malformed.
 */
export function parseFilter(text: string | undefined): FilterExpr | null {
  return parseBooleanFilter(text, parseComparison);
}

function readOrderKey(s: Scanner): Omit<OrderKey, 'ascending'> {
  const id = s.identifier(RUN_IDENTIFIERS, true);
  if (id.type === null) return { type: 'attribute', key: canonicalAttribute(id.key, id.offset, s.fail) };
  if (id.type === 'dataset') {
    return s.fail(`datasets cannot be ordered by; use ${VALID_ORDER_PREFIXES}`, id.offset);
  }
  if (id.type === 'attribute') return { type: 'attribute', key: canonicalAttribute(id.key, id.offset, s.fail) };
  return { type: id.type, key: id.key };
}

/**
 * Parses MLflow `order_by` clauses (`<type>.<key> [ASC|DESC]`, or a bare attribute name such as
 * `start_time`). Direction defaults to ascending; datasets are not orderable.
 *
 * @example
 * parseOrderBy(['metrics.rmse DESC', 'start_time']) // [{type:'metric',key:'rmse',ascending:false}, …]
 * @throws GyreError INVALID_ARGUMENT with details `{ orderBy, index, offset }`.
 */
export function parseOrderBy(clauses: string[] | undefined): OrderKey[] {
  return (clauses ?? []).map((clause, index) => {
    const { key, ascending } = scanOrderClause(clause, index, 'metrics.rmse DESC', readOrderKey);
    return { ...key, ascending };
  });
}
