/**
 * In-memory search for registry entities (registered models, model versions) with the filter
 * language of runs and experiments: `attribute op value`, `tags.<key> op value`, AND/OR,
 * parentheses, IN / NOT IN, LIKE / ILIKE; plus order_by and offset page tokens. A registry holds
 * thousands of versions, not millions, so stores load and this evaluates: one set of semantics for
 * every backend, as for experiments.
 */
import { encodeOffsetToken, queryFingerprint, readOffsetToken } from '../../tracking/search/offset-page-token.js';
import { invalidArgument } from '../../core/errors.js';
import type { LogicalExpr, ListComparison, NumericComparison, StringComparison } from '../../tracking/search/filter-ast.js';
import { lookup, parseBooleanFilter, scanComparison, scanOrderClause } from '../../tracking/search/filter-scanner.js';
import type { IdentifierSyntax, Scanner } from '../../tracking/search/filter-scanner.js';
import { compareStrings, NUMERIC_TESTS, stringTest } from '../../tracking/search/in-memory-match.js';
import type { Tag } from '../entities.js';

/** What a search can see of one entity kind. */
export interface EntitySchema<T> {
  /** e.g. 'registered-models', used in page tokens and messages. */
  scope: string;
  strings: Readonly<Record<string, (item: T) => string | null>>;
  numbers: Readonly<Record<string, (item: T) => number>>;
  tags: (item: T) => Tag[];
  /** Spellings that mean another attribute, e.g. `source_path` → `source`. */
  aliases?: Readonly<Record<string, string>>;
  /** Orderable keys and their comparators. */
  order: Readonly<Record<string, (a: T, b: T) => number>>;
  defaultOrder: { key: string; ascending: boolean }[];
  /** Appended to every order so ties page stably. */
  tiebreak: (a: T, b: T) => number;
}

type Field = { type: 'attribute'; key: string; numeric: boolean } | { type: 'tag'; key: string };
type Cmp = NumericComparison<Field> | StringComparison<Field> | ListComparison<Field>;
type Expr = Cmp | LogicalExpr<Cmp>;

const SYNTAX: IdentifierSyntax<'attribute' | 'tag'> = {
  prefixes: { attribute: 'attribute', attributes: 'attribute', tag: 'tag', tags: 'tag' },
  validPrefixes: 'attributes, tags',
  example: "name or tags.<key>",
};

function parse<T>(schema: EntitySchema<T>, text: string | undefined): Expr | null {
  const canonical = (key: string) => (schema.aliases ? lookup(schema.aliases, key) : undefined) ?? key;
  const valid = [...Object.keys(schema.strings), ...Object.keys(schema.numbers), ...Object.keys(schema.aliases ?? {})].join(', ');
  const readField = (s: Scanner): Field => {
    const id = s.identifier(SYNTAX, true);
    if (id.type === 'tag') return { type: 'tag', key: id.key };
    const key = canonical(id.key);
    if (Object.hasOwn(schema.numbers, key)) return { type: 'attribute', key, numeric: true };
    if (Object.hasOwn(schema.strings, key)) return { type: 'attribute', key, numeric: false };
    return s.fail(`unknown attribute '${id.key}'; valid attributes are ${valid}; use tags.<key> to compare a tag`, id.offset);
  };
  return parseBooleanFilter(text, (s) => {
    const field = readField(s);
    const isNumeric = (f: Field): f is Field => f.type === 'attribute' && f.numeric;
    return scanComparison<Field, Field>(s, field, isNumeric, `${field.type} '${field.key}'`) as Cmp;
  });
}

function compile<T>(schema: EntitySchema<T>, expr: Expr): (item: T) => boolean {
  if (expr.kind === 'and' || expr.kind === 'or') {
    const parts = expr.operands.map((o) => compile(schema, o as Expr));
    return expr.kind === 'and' ? (x) => parts.every((p) => p(x)) : (x) => parts.some((p) => p(x));
  }
  if (expr.kind === 'numeric') {
    const read = schema.numbers[expr.field.key]!;
    const test = NUMERIC_TESTS[expr.op];
    return (x) => test(read(x), expr.value);
  }
  const cmp = expr as StringComparison<Field> | ListComparison<Field>;
  const test = stringTest(cmp);
  const field = cmp.field;
  const read = field.type === 'tag' ? (x: T) => schema.tags(x).find((t) => t.key === field.key)?.value ?? null : schema.strings[field.key]!;
  // A missing value never matches, not even `!=`: MLflow's semantics for tags.
  return (x) => {
    const v = read(x);
    return v !== null && test(v);
  };
}

function orderOf<T>(schema: EntitySchema<T>, clauses: string[] | undefined): (a: T, b: T) => number {
  const keys = clauses?.length
    ? clauses.map((clause, index) =>
        scanOrderClause(clause, index, `${Object.keys(schema.order)[0]} DESC`, (s) => {
          const id = s.identifier(SYNTAX, true);
          const key = (schema.aliases ? lookup(schema.aliases, id.key) : undefined) ?? id.key;
          if (id.type === 'tag' || !Object.hasOwn(schema.order, key)) {
            return s.fail(`cannot order by '${id.key}'; valid keys are ${Object.keys(schema.order).join(', ')}`, id.offset);
          }
          return key;
        }),
      )
    : schema.defaultOrder;
  const steps = keys.map(({ key, ascending }) => {
    const c = schema.order[key]!;
    return ascending ? c : (a: T, b: T) => c(b, a);
  });
  steps.push(schema.tiebreak);
  return (a, b) => {
    for (const step of steps) {
      const o = step(a, b);
      if (o !== 0) return o;
    }
    return 0;
  };
}

export interface SearchInput {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

export function searchInMemory<T>(schema: EntitySchema<T>, items: T[], input: SearchInput, defaultMax = 100): { items: T[]; nextPageToken: string | null } {
  const max = input.maxResults ?? defaultMax;
  if (!Number.isInteger(max) || max < 1 || max > 50_000) throw invalidArgument(`max_results must be an integer from 1 to 50000, got ${input.maxResults}.`, { field: 'max_results' });
  const expr = parse(schema, input.filter);
  const order = orderOf(schema, input.orderBy);
  const query = queryFingerprint([schema.scope, input.filter ?? '', input.orderBy ?? []]);
  let offset = 0;
  if (input.pageToken) {
    const body = readOffsetToken(input.pageToken);
    if (!body || body.query !== query) {
      throw invalidArgument(`page_token is not one Gyre issued for this ${schema.scope} search (same filter and order_by). Pass next_page_token unchanged, or start again without it.`, { field: 'page_token' });
    }
    offset = body.offset;
  }
  const matches = expr ? compile(schema, expr) : () => true;
  const found = items.filter(matches).sort(order);
  const end = offset + max;
  return { items: found.slice(offset, end), nextPageToken: end < found.length ? encodeOffsetToken(query, end) : null };
}

export { compareStrings };
