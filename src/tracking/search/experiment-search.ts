/**
 * experiments/search over experiments already loaded into memory: MLflow's `search_experiments`
 * filter (plus Gyre's OR, parentheses and IN / NOT IN), ordering and offset paging. A server holds
 * hundreds of experiments, not millions, so every store loads them and searches here: one
 * evaluator means one set of semantics whatever the backend.
 */
import { encodeOffsetToken, queryFingerprint, readOffsetToken } from './offset-page-token.js';
import { invalidArgument } from '../../core/errors.js';
import type { Experiment, Page, SearchExperimentsInput, ViewType } from '../entities.js';
import type {
  ExperimentComparison,
  ExperimentFilterExpr,
  ExperimentOrderAttribute,
  ExperimentOrderKey,
  ExperimentStringField,
} from './filter-ast.js';
import { parseExperimentFilter, parseExperimentOrderBy } from './experiment-filter-parser.js';
import { compareStrings, NUMERIC_TESTS, stringTest } from './in-memory-match.js';

const DEFAULT_MAX_RESULTS = 1000;

/** MLflow's order when none is given, in both its file and SQL stores. */
const DEFAULT_ORDER: readonly ExperimentOrderKey[] = [
  { key: 'creation_time', ascending: false },
  { key: 'experiment_id', ascending: true },
];

/**
 * Appended when the order does not mention experiment_id, so equal keys still page stably.
 * MLflow's stores append experiment_id *descending* here; Gyre breaks ties ascending, the
 * direction of the default order, so ties read the same with or without an explicit order_by.
 */
const TIEBREAK: ExperimentOrderKey = { key: 'experiment_id', ascending: true };

interface Candidate {
  experiment: Experiment;
  tags: ReadonlyMap<string, string>;
}

type Predicate = (candidate: Candidate) => boolean;

// ---------------------------------------------------------------------------------------------
// Filter evaluation

function stringReader(field: ExperimentStringField): (candidate: Candidate) => string | undefined {
  if (field.type === 'tag') {
    const key = field.key;
    return (c) => c.tags.get(key);
  }
  return (c) => c.experiment.name;
}

function compileFilter(expr: ExperimentFilterExpr): Predicate {
  switch (expr.kind) {
    case 'and': {
      const parts = expr.operands.map(compileFilter);
      return (c) => parts.every((part) => part(c));
    }
    case 'or': {
      const parts = expr.operands.map(compileFilter);
      return (c) => parts.some((part) => part(c));
    }
    case 'numeric': {
      const test = NUMERIC_TESTS[expr.op];
      const value = expr.value;
      return expr.field.key === 'creation_time'
        ? (c) => test(c.experiment.creationTime, value)
        : (c) => test(c.experiment.lastUpdateTime, value);
    }
    case 'string':
    case 'list': {
      const read = stringReader(expr.field);
      const test = stringTest(expr);
      // A missing tag never matches, not even `!=` or NOT IN: MLflow's semantics, as for runs.
      return (c) => {
        const value = read(c);
        return value !== undefined && test(value);
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Ordering

const DIGITS = /^\d+$/;

/** Experiment ids are decimal integers in Gyre's stores; compare them as numbers of any size. */
function compareIds(a: string, b: string): number {
  const aNumeric = DIGITS.test(a);
  const bNumeric = DIGITS.test(b);
  if (aNumeric && bNumeric) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return compareStrings(x, y);
  } else if (aNumeric !== bNumeric) {
    // Not expected from Gyre's stores; numeric ids first keeps the order total anyway.
    return aNumeric ? -1 : 1;
  }
  return compareStrings(a, b);
}

const KEY_COMPARATORS: Readonly<Record<ExperimentOrderAttribute, (a: Experiment, b: Experiment) => number>> = {
  name: (a, b) => compareStrings(a.name, b.name),
  experiment_id: (a, b) => compareIds(a.experimentId, b.experimentId),
  creation_time: (a, b) => a.creationTime - b.creationTime,
  last_update_time: (a, b) => a.lastUpdateTime - b.lastUpdateTime,
};

function comparator(keys: readonly ExperimentOrderKey[]): (a: Experiment, b: Experiment) => number {
  const all = keys.some((k) => k.key === 'experiment_id') ? keys : [...keys, TIEBREAK];
  const steps = all.map(({ key, ascending }) => {
    const compare = KEY_COMPARATORS[key];
    return ascending ? compare : (a: Experiment, b: Experiment) => compare(b, a);
  });
  return (a, b) => {
    for (const step of steps) {
      const order = step(a, b);
      if (order !== 0) return order;
    }
    return 0;
  };
}

// ---------------------------------------------------------------------------------------------
// Paging

/**
 * Which query a page token belongs to. The raw filter and order_by texts are used as given, so a
 * token is refused if either is respelled; max_results may change between pages.
 */
function fingerprint(filter: string, orderBy: string[], viewType: ViewType): string {
  return queryFingerprint(['experiments', filter, orderBy, viewType]);
}

function decodePageToken(token: string, query: string): number {
  const body = readOffsetToken(token);
  if (!body) {
    throw invalidArgument(
      `page_token '${token.slice(0, 40)}' is not a token Gyre issued for experiments/search. Pass the next_page_token of the previous response unchanged.`,
      { pageToken: token.slice(0, 200) },
    );
  }
  if (body.query !== query) {
    throw invalidArgument(
      'page_token belongs to a different query (filter, order_by or view_type changed). Start again without a page_token.',
      { pageToken: token.slice(0, 200) },
    );
  }
  return body.offset;
}

function inView(experiment: Experiment, viewType: ViewType): boolean {
  if (viewType === 'ALL') return true;
  return experiment.lifecycleStage === (viewType === 'DELETED_ONLY' ? 'deleted' : 'active');
}

/**
 * Searches experiments in memory with MLflow's `search_experiments` semantics: the view type
 * (default ACTIVE_ONLY), the filter, the order (default `creation_time DESC, experiment_id ASC`,
 * ties always broken by experiment_id), then one page of at most `maxResults` (default 1000).
 * `input.maxResults` and `input.viewType` must already be validated.
 *
 * @example
 * const query = { filter: "name LIKE 'churn-%' AND tags.team IN ('ml', 'data')", orderBy: ['name'], maxResults: 50 };
 * const first = searchExperimentsInMemory(all, query);
 * if (first.nextPageToken) searchExperimentsInMemory(all, { ...query, pageToken: first.nextPageToken });
 * @throws GyreError INVALID_ARGUMENT for a malformed filter, order_by clause or page token, or a
 *   token issued for a different filter, order_by or view type.
 */
export function searchExperimentsInMemory(experiments: Experiment[], input: SearchExperimentsInput): Page<Experiment> {
  const viewType = input.viewType ?? 'ACTIVE_ONLY';
  const maxResults = input.maxResults ?? DEFAULT_MAX_RESULTS;
  const filter = parseExperimentFilter(input.filter);
  const orderKeys = input.orderBy?.length ? parseExperimentOrderBy(input.orderBy) : DEFAULT_ORDER;
  const query = fingerprint(input.filter ?? '', input.orderBy ?? [], viewType);
  const offset = input.pageToken ? decodePageToken(input.pageToken, query) : 0;

  const matches = filter ? compileFilter(filter) : null;
  const found = experiments
    .filter((e) => inView(e, viewType))
    .filter((e) => !matches || matches({ experiment: e, tags: new Map(e.tags.map((t) => [t.key, t.value])) }))
    .sort(comparator(orderKeys));

  const end = offset + maxResults;
  return {
    items: found.slice(offset, end),
    nextPageToken: end < found.length ? encodeOffsetToken(query, end) : null,
  };
}
