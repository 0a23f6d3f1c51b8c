import { describe, expect, it } from 'vitest';
import { rejection } from '../../test-support/expect-invalid-argument.js';
import type { Experiment, LifecycleStage, SearchExperimentsInput } from '../entities.js';
import { parseExperimentFilter, parseExperimentOrderBy } from './experiment-filter-parser.js';
import { searchExperimentsInMemory } from './experiment-search.js';

const experiment = (
  experimentId: string,
  name: string,
  creationTime: number,
  lastUpdateTime: number,
  tags: Record<string, string> = {},
  lifecycleStage: LifecycleStage = 'active',
): Experiment => ({
  experimentId,
  name,
  artifactLocation: `file:///tmp/mlruns/${experimentId}`,
  lifecycleStage,
  creationTime,
  lastUpdateTime,
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
});

/**
 * Chosen so each case has matches and near-misses: names differing only in case or in `-`/`_`,
 * a name with a literal `%`, two experiments created at the same time whose ids sort differently
 * as numbers ('2' < '10') and as strings, tags missing on some experiments, one deleted experiment.
 */
const EXPERIMENTS: Experiment[] = [
  experiment('0', 'Default', 100, 100),
  experiment('1', 'churn-v1', 200, 900, { team: 'ml', 'mlflow.note': 'baseline' }),
  experiment('2', 'churn_v2', 300, 300, { team: 'data' }),
  experiment('10', 'Churn-V3', 300, 800, { team: 'ML' }),
  experiment('9', '50% off', 400, 400, { promo: 'yes' }),
  experiment('3', 'archived', 150, 150, { team: 'ml' }, 'deleted'),
  experiment('11', "it's", 500, 500, { 'owner name': 'ann' }),
];

/** The active experiments in MLflow's default order: creation_time DESC, then experiment_id ASC. */
const DEFAULT_ORDER_IDS = ['11', '9', '2', '10', '1', '0'];

function ids(input: SearchExperimentsInput, experiments = EXPERIMENTS): string[] {
  return searchExperimentsInMemory(experiments, input).items.map((e) => e.experimentId);
}


/** Every page of a query, following next_page_token until it is null. */
function allPages(input: SearchExperimentsInput, experiments = EXPERIMENTS): string[][] {
  const pages: string[][] = [];
  let pageToken: string | undefined;
  for (;;) {
    const page = searchExperimentsInMemory(experiments, { ...input, ...(pageToken ? { pageToken } : {}) });
    pages.push(page.items.map((e) => e.experimentId));
    if (page.nextPageToken === null) return pages;
    pageToken = page.nextPageToken;
    if (pages.length > 100) throw new Error('paging does not terminate');
  }
}

describe('searchExperimentsInMemory: defaults and view types', () => {
  it('returns active experiments by creation_time DESC, then experiment_id ASC compared as numbers', () => {
    expect(ids({})).toEqual(DEFAULT_ORDER_IDS);
    expect(searchExperimentsInMemory(EXPERIMENTS, {}).nextPageToken).toBeNull();
  });

  it('treats a blank filter and an empty order_by as absent', () => {
    expect(ids({ filter: '   ', orderBy: [] })).toEqual(DEFAULT_ORDER_IDS);
  });

  it('filters on lifecycle stage by view type', () => {
    expect(ids({ viewType: 'ACTIVE_ONLY' })).toEqual(DEFAULT_ORDER_IDS);
    expect(ids({ viewType: 'DELETED_ONLY' })).toEqual(['3']);
    expect(ids({ viewType: 'ALL' })).toEqual(['11', '9', '2', '10', '1', '3', '0']);
    expect(ids({ viewType: 'ALL', filter: "tags.team = 'ml'" })).toEqual(['1', '3']);
  });

  it('does not reorder the caller’s array', () => {
    const input = [...EXPERIMENTS];
    searchExperimentsInMemory(input, { orderBy: ['name'] });
    expect(input).toEqual(EXPERIMENTS);
  });
});

describe('searchExperimentsInMemory: filters', () => {
  const cases: Array<[string, string[]]> = [
    // name, bare and prefixed, with every string comparator
    ["name = 'churn-v1'", ['1']],
    ["attribute.name = 'churn-v1'", ['1']],
    ["attributes.name = 'churn-v1'", ['1']],
    ['attributes."name" = \'churn-v1\'', ['1']],
    ["name = 'CHURN-V1'", []],
    ["name != 'churn-v1'", ['11', '9', '2', '10', '0']],
    ["name LIKE 'churn%'", ['2', '1']],
    ["name ILIKE 'churn%'", ['2', '10', '1']],
    ["name IN ('Default', 'churn-v1', 'nope')", ['1', '0']],
    ["name NOT IN ('Default', 'churn-v1')", ['11', '9', '2', '10']],
    ["name = 'it''s'", ['11']],
    // numeric attributes with every numeric comparator
    ['creation_time = 300', ['2', '10']],
    ['creation_time != 300', ['11', '9', '1', '0']],
    ['creation_time > 300', ['11', '9']],
    ['creation_time >= 300', ['11', '9', '2', '10']],
    ['creation_time < 200', ['0']],
    ['creation_time <= 200', ['1', '0']],
    ['attributes.creation_time >= 3e2', ['11', '9', '2', '10']],
    ['last_update_time > 500', ['10', '1']],
    ['attribute.last_update_time <= 300.5', ['2', '0']],
    // tags: quoted keys, dotted bare keys, every comparator
    ["tags.team = 'ml'", ['1']],
    ["tag.team = 'ml'", ['1']],
    ["tags.team != 'ml'", ['2', '10']],
    ["tags.team LIKE 'M%'", ['10']],
    ["tags.team ILIKE 'ml'", ['10', '1']],
    ["tags.team IN ('ml', 'data')", ['2', '1']],
    ["tags.team NOT IN ('ml')", ['2', '10']],
    ['tags."mlflow.note" = \'baseline\'', ['1']],
    ["tags.mlflow.note = 'baseline'", ['1']],
    ["tags.`owner name` = 'ann'", ['11']],
    // a missing tag never matches, whatever the comparator
    ["tags.nope != 'x'", []],
    ["tags.nope NOT IN ('x')", []],
    ["tags.nope LIKE '%'", []],
    // AND binds tighter than OR; parentheses override; keywords in any case
    ["name = 'Default' OR tags.team = 'data'", ['2', '0']],
    ["tags.team = 'ml' OR tags.team = 'data' AND creation_time > 250", ['2', '1']],
    ["(tags.team = 'ml' OR tags.team = 'data') AND creation_time > 250", ['2']],
    ['((creation_time < 150) or (creation_time > 450))', ['11', '0']],
    ["name ilike 'churn%' and tags.team in ('ML')", ['10']],
  ];
  for (const [filter, expected] of cases) {
    it(filter, () => {
      expect(ids({ filter })).toEqual(expected);
    });
  }
});

describe('searchExperimentsInMemory: LIKE and ILIKE', () => {
  // [pattern, name, LIKE matches, ILIKE matches]
  const cases: Array<[string, string, boolean, boolean]> = [
    ['%', '', true, true],
    ['%', 'anything', true, true],
    ['a%', 'a', true, true],
    ['%b', 'aXbYb', true, true],
    ['%a%b', 'aXbY', false, false],
    ['churn', 'churn-v1', false, false], // anchored: no % means the whole value
    ['_', '', false, false],
    ['a_c', 'abc', true, true],
    ['a_c', 'ac', false, false],
    ['a_c', 'abbc', false, false],
    ['_ launch', '🚀 launch', true, true], // `_` is one character, even outside the BMP
    ['Churn%', 'churn-v1', false, true],
    ['ÉTÉ', 'été', false, true],
    ['50\\%', '50%', true, true],
    ['50\\%', '50 percent', false, false],
    ['a\\_c', 'a_c', true, true],
    ['a\\_c', 'abc', false, false],
    ['C:\\\\dir', 'C:\\dir', true, true], // `\\` in the pattern is one literal backslash
    ['a.b', 'axb', false, false], // regex characters are literal
    ['(x)+[y]?', '(x)+[y]?', true, true],
    ['%a%a%a%', 'banana', true, true],
    ['%a%a%a%a%', 'banana', false, false],
  ];
  for (const [pattern, name, like, ilike] of cases) {
    it(`${JSON.stringify(name)} LIKE ${JSON.stringify(pattern)} is ${like}, ILIKE is ${ilike}`, () => {
      const only = [experiment('1', name, 1, 1)];
      // The filter text quotes the pattern; backslashes are doubled because the string literal
      // reader turns `\\` into one backslash.
      const quoted = `'${pattern.replace(/\\/g, '\\\\')}'`;
      expect(ids({ filter: `name LIKE ${quoted}` }, only)).toEqual(like ? ['1'] : []);
      expect(ids({ filter: `name ILIKE ${quoted}` }, only)).toEqual(ilike ? ['1'] : []);
    });
  }

  it('stays fast on patterns full of % against long values', () => {
    const long = [experiment('1', 'a'.repeat(20_000), 1, 1)];
    const started = Date.now();
    expect(ids({ filter: `name LIKE '${'%a'.repeat(30)}%b'` }, long)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('searchExperimentsInMemory: order_by', () => {
  const cases: Array<[string[], string[]]> = [
    // code-unit order: digits < upper case < lower case, '-' < '_'
    [['name'], ['9', '10', '0', '1', '2', '11']],
    [['name ASC'], ['9', '10', '0', '1', '2', '11']],
    [['name DESC'], ['11', '2', '1', '0', '10', '9']],
    [['experiment_id'], ['0', '1', '2', '9', '10', '11']],
    [['attributes.experiment_id desc'], ['11', '10', '9', '2', '1', '0']],
    // ties on creation_time (2 and 10) are broken by experiment_id ascending
    [['creation_time'], ['0', '1', '2', '10', '9', '11']],
    [['creation_time DESC'], ['11', '9', '2', '10', '1', '0']],
    [['creation_time DESC', 'name ASC'], ['11', '9', '10', '2', '1', '0']],
    [['creation_time ASC', 'experiment_id DESC'], ['0', '1', '10', '2', '9', '11']],
    [['attribute.last_update_time DESC'], ['1', '10', '11', '9', '2', '0']],
  ];
  for (const [orderBy, expected] of cases) {
    it(orderBy.join(', '), () => {
      expect(ids({ orderBy })).toEqual(expected);
    });
  }

  it('parses clauses into keys', () => {
    expect(parseExperimentOrderBy(['  name  ', 'attributes.`creation_time` DESC'])).toEqual([
      { key: 'name', ascending: true },
      { key: 'creation_time', ascending: false },
    ]);
  });
});

describe('searchExperimentsInMemory: paging', () => {
  it('pages through every result with any page size, ending with a null token', () => {
    for (let maxResults = 1; maxResults <= 7; maxResults++) {
      const pages = allPages({ maxResults });
      expect(pages.flat()).toEqual(DEFAULT_ORDER_IDS);
      expect(pages).toHaveLength(Math.ceil(DEFAULT_ORDER_IDS.length / maxResults));
      expect(pages.every((page) => page.length > 0)).toBe(true);
    }
  });

  it('pages a filtered, ordered view the same as one big page', () => {
    const query: SearchExperimentsInput = {
      filter: "name ILIKE '%n%' OR tags.team = 'ml' OR name LIKE 'it%'",
      orderBy: ['name DESC'],
      viewType: 'ALL',
    };
    expect(ids(query)).toEqual(['11', '2', '1', '3', '10']);
    expect(allPages({ ...query, maxResults: 2 })).toEqual([['11', '2'], ['1', '3'], ['10']]);
  });

  it('allows max_results to change between pages', () => {
    const first = searchExperimentsInMemory(EXPERIMENTS, { maxResults: 2 });
    const rest = searchExperimentsInMemory(EXPERIMENTS, { maxResults: 10, pageToken: first.nextPageToken! });
    expect([...first.items, ...rest.items].map((e) => e.experimentId)).toEqual(DEFAULT_ORDER_IDS);
    expect(rest.nextPageToken).toBeNull();
  });

  it('accepts a token with the view type spelled out when it was defaulted', () => {
    const first = searchExperimentsInMemory(EXPERIMENTS, { maxResults: 4 });
    const next = searchExperimentsInMemory(EXPERIMENTS, { maxResults: 4, viewType: 'ACTIVE_ONLY', pageToken: first.nextPageToken! });
    expect(next.items.map((e) => e.experimentId)).toEqual(['1', '0']);
  });

  it('returns an empty last page when experiments vanished behind the token', () => {
    const first = searchExperimentsInMemory(EXPERIMENTS, { maxResults: 5 });
    expect(searchExperimentsInMemory(EXPERIMENTS.slice(0, 3), { maxResults: 5, pageToken: first.nextPageToken! })).toEqual({
      items: [],
      nextPageToken: null,
    });
  });

  it('returns at most 1000 experiments when max_results is not given', () => {
    const many = Array.from({ length: 1001 }, (_, i) => experiment(String(i + 1), `e${i}`, i, i));
    const first = searchExperimentsInMemory(many, {});
    expect(first.items).toHaveLength(1000);
    expect(first.items[0].experimentId).toBe('1001');
    const second = searchExperimentsInMemory(many, { pageToken: first.nextPageToken! });
    expect(second.items.map((e) => e.experimentId)).toEqual(['1']);
    expect(second.nextPageToken).toBeNull();
  });

  it('refuses a token issued for another filter, order or view type', () => {
    const token = searchExperimentsInMemory(EXPERIMENTS, { filter: "name LIKE '%'", orderBy: ['name'], maxResults: 1 }).nextPageToken!;
    const others: SearchExperimentsInput[] = [
      { filter: "name LIKE '%%'", orderBy: ['name'] },
      { filter: "name LIKE '%'", orderBy: ['name DESC'] },
      { filter: "name LIKE '%'", orderBy: ['name'], viewType: 'ALL' },
      { orderBy: ['name'] },
    ];
    for (const other of others) {
      const error = rejection(() => searchExperimentsInMemory(EXPERIMENTS, { ...other, maxResults: 1, pageToken: token }));
      expect(error.message).toMatch(/page_token belongs to a different query \(filter, order_by or view_type changed\)\. Start again without a page_token/);
    }
  });

  it('refuses tokens Gyre did not issue', () => {
    const forged = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');
    const query = searchExperimentsInMemory(EXPERIMENTS, { maxResults: 1 }).nextPageToken!;
    const { q } = JSON.parse(Buffer.from(query, 'base64url').toString('utf8')) as { q: string };
    for (const token of ['not-a-token', forged({ offset: 1 }), forged({ q, o: -1 }), forged({ q, o: 1.5 }), forged({ q, o: '1' }), forged(null)]) {
      const error = rejection(() => searchExperimentsInMemory(EXPERIMENTS, { maxResults: 1, pageToken: token }));
      expect(error.message).toMatch(/is not a token Gyre issued for experiments\/search\. Pass the next_page_token of the previous response unchanged/);
    }
  });
});

describe('searchExperimentsInMemory: errors', () => {
  const filters: Array<[string, string, RegExp]> = [
    ['metrics are not experiment fields', 'metrics.rmse > 1', /offset 0: unknown type prefix 'metrics'; valid prefixes are attributes, tags/],
    ['unknown bare attribute', "colour = 'x'", /offset 0: unknown attribute 'colour'; valid attributes are name, creation_time, last_update_time; use tags\.<key> to compare a tag/],
    ['unknown prefixed attribute', "attributes.experiment_id = '1'", /offset 11: unknown attribute 'experiment_id'; valid attributes are name, creation_time, last_update_time$/],
    ['prototype property as attribute', "constructor = 'x'", /unknown attribute 'constructor'/],
    ['prototype property as prefix', "constructor.x = 'x'", /unknown type prefix 'constructor'/],
    ['prefix without key', "tags = 'x'", /offset 4: missing '\.<key>' after 'tags'/],
    ['missing tag key', "tags. = 'x'", /offset 5: missing key after 'tags\.'/],
    ['number for a string', 'name = 1', /offset 7: expected a quoted string for attribute 'name' but found '1'/],
    ['string for a number', "creation_time = '1'", /offset 16: attribute 'creation_time' is numeric; expected a number/],
    ['LIKE on a number', "creation_time LIKE '1%'", /offset 14: LIKE does not apply to numeric attribute 'creation_time'; use =, !=, >, >=, <, <=/],
    ['IN on a number', 'last_update_time IN (1)', /IN does not apply to numeric attribute 'last_update_time'/],
    ['ordering comparator on a string', "name > 'a'", /offset 5: '>' does not apply to string attribute 'name'; use =, !=, LIKE, ILIKE, IN, NOT IN/],
    ['ordering comparator on a tag', "tags.team <= 'a'", /'<=' does not apply to string tag 'team'/],
    ['missing comparator', "name 'x'", /offset 5: expected a comparator/],
    ['dangling AND', "name = 'a' AND", /offset 14: expected an identifier such as name or tags\.<key>/],
    ['unclosed parenthesis', "(name = 'a'", /offset 0: unbalanced parentheses: '\(' is never closed/],
    ['stray parenthesis', "name = 'a')", /offset 10: unbalanced parentheses: '\)' has no matching '\('/],
    ['trailing garbage', "name = 'a' tags.x = 'b'", /offset 11: unexpected 'tags\.x'; expected AND, OR or the end/],
    ['unterminated string', "name = 'a", /offset 7: unterminated string/],
    ['empty IN list', 'name IN ()', /empty IN list/],
    ['LIKE pattern ending in an escape', "name LIKE 'a\\\\'", /offset 10: LIKE pattern ends with an unescaped '\\'/],
  ];
  for (const [what, filter, message] of filters) {
    it(`filter: ${what}`, () => {
      const error = rejection(() => searchExperimentsInMemory(EXPERIMENTS, { filter }));
      expect(error.message).toMatch(/^Invalid filter at offset \d+: /);
      expect(error.message).toMatch(message);
      expect(error.details).toMatchObject({ filter });
    });
  }

  const orders: Array<[string, RegExp]> = [
    ['tags.team', /offset 5: experiments cannot be ordered by tags; valid keys are name, experiment_id, creation_time, last_update_time/],
    ['start_time', /offset 0: unknown order_by key 'start_time'; valid keys are name, experiment_id, creation_time, last_update_time/],
    ['constructor', /unknown order_by key 'constructor'/],
    ['metrics.rmse', /offset 0: unknown type prefix 'metrics'; valid prefixes are attributes, tags/],
    ['name DOWN', /offset 5: invalid direction 'DOWN'; expected ASC or DESC/],
    ['name DESC name', /offset 10: unexpected 'name' after the direction/],
    ['  ', /empty clause; expected e\.g\. creation_time DESC/],
  ];
  for (const [clause, message] of orders) {
    it(`order_by: ${JSON.stringify(clause)}`, () => {
      const error = rejection(() => searchExperimentsInMemory(EXPERIMENTS, { orderBy: ['name', clause] }));
      expect(error.message).toMatch(/^Invalid order_by clause /);
      expect(error.message).toMatch(message);
      expect(error.details).toMatchObject({ orderBy: clause, index: 1 });
    });
  }

  it('parses a filter into the experiment AST', () => {
    expect(parseExperimentFilter("name LIKE 'a%' OR tags.t IN ('x') AND creation_time > 5")).toEqual({
      kind: 'or',
      operands: [
        { kind: 'string', field: { type: 'attribute', key: 'name' }, op: 'LIKE', value: 'a%' },
        {
          kind: 'and',
          operands: [
            { kind: 'list', field: { type: 'tag', key: 't' }, op: 'IN', values: ['x'] },
            { kind: 'numeric', field: { type: 'attribute', key: 'creation_time' }, op: '>', value: 5 },
          ],
        },
      ],
    });
  });
});
