import { describe, expect, it } from 'vitest';
import { rejection } from '../../test-support/expect-invalid-argument.js';
import { parseFilter, parseOrderBy } from './filter-parser.js';


describe('parseFilter', () => {
  it('returns null for an absent or blank filter', () => {
    expect(parseFilter(undefined)).toBeNull();
    expect(parseFilter('')).toBeNull();
    expect(parseFilter('  \n\t ')).toBeNull();
  });

  it('normalises every MLflow type prefix', () => {
    const cases: Array<[string, string]> = [
      ['metric.a > 1', 'metric'],
      ['metrics.a > 1', 'metric'],
      ["param.a = 'x'", 'param'],
      ["params.a = 'x'", 'param'],
      ["parameter.a = 'x'", 'param'],
      ["parameters.a = 'x'", 'param'],
      ["tag.a = 'x'", 'tag'],
      ["tags.a = 'x'", 'tag'],
      ["attribute.status = 'x'", 'attribute'],
      ["attributes.status = 'x'", 'attribute'],
      ["attr.status = 'x'", 'attribute'],
      ["run.status = 'x'", 'attribute'],
      ["dataset.name = 'x'", 'dataset'],
      ["datasets.name = 'x'", 'dataset'],
      ['METRICS.a > 1', 'metric'],
    ];
    for (const [text, type] of cases) {
      expect(parseFilter(text)).toMatchObject({ field: { type } });
    }
  });

  it('parses numbers in every notation', () => {
    const values: Array<[string, number]> = [
      ['1', 1],
      ['-2', -2],
      ['0.25', 0.25],
      ['.5', 0.5],
      ['1e3', 1000],
      ['-1.5E-2', -0.015],
      ['+3', 3],
    ];
    for (const [literal, value] of values) {
      expect(parseFilter(`metrics.rmse <= ${literal}`)).toEqual({
        kind: 'numeric',
        field: { type: 'metric', key: 'rmse' },
        op: '<=',
        value,
      });
    }
  });

  it('accepts bare, backtick-quoted and double-quoted keys', () => {
    expect(parseFilter('metrics.val/loss-1.x>0')).toMatchObject({ field: { key: 'val/loss-1.x' }, op: '>', value: 0 });
    expect(parseFilter('metrics.`my metric` = 1')).toMatchObject({ field: { key: 'my metric' } });
    expect(parseFilter(`tags."mlflow.user" = 'ann'`)).toMatchObject({ field: { type: 'tag', key: 'mlflow.user' } });
  });

  it('reads quoted strings with doubled and backslash-escaped quotes', () => {
    expect(parseFilter(`params.a = 'it''s'`)).toMatchObject({ value: "it's" });
    expect(parseFilter(`params.a = 'it\\'s'`)).toMatchObject({ value: "it's" });
    expect(parseFilter(`params.a = "say ""hi"""`)).toMatchObject({ value: 'say "hi"' });
    expect(parseFilter(`params.a = "say \\"hi\\""`)).toMatchObject({ value: 'say "hi"' });
    expect(parseFilter(`params.a = 'C:\\\\dir'`)).toMatchObject({ value: 'C:\\dir' });
    expect(parseFilter(`params.a LIKE '50\\%'`)).toMatchObject({ value: '50\\%' });
    expect(parseFilter(`params.a LIKE 'dir\\\\\\\\'`)).toMatchObject({ value: 'dir\\\\' });
  });

  it('accepts comparators in any case, including IN and NOT IN on every string field', () => {
    expect(parseFilter(`params.m like 'a%'`)).toMatchObject({ kind: 'string', op: 'LIKE' });
    expect(parseFilter(`tags.m iLike 'a%'`)).toMatchObject({ kind: 'string', op: 'ILIKE' });
    expect(parseFilter(`params.m in ('a', "b")`)).toEqual({
      kind: 'list',
      field: { type: 'param', key: 'm' },
      op: 'IN',
      values: ['a', 'b'],
    });
    expect(parseFilter(`attributes.status not   IN ('FAILED')`)).toMatchObject({ kind: 'list', op: 'NOT IN' });
  });

  it('canonicalises attribute names and aliases', () => {
    expect(parseFilter('attributes.created > 5')).toMatchObject({ field: { type: 'attribute', key: 'start_time' } });
    expect(parseFilter('attributes.Created > 5')).toMatchObject({ field: { key: 'start_time' } });
    expect(parseFilter('run.end_time < 5')).toMatchObject({ kind: 'numeric', field: { key: 'end_time' } });
    expect(parseFilter(`attributes.run_id = 'abc'`)).toMatchObject({ kind: 'string', field: { key: 'run_id' } });
  });

  it('binds AND tighter than OR and honours parentheses', () => {
    const a = { kind: 'numeric', field: { type: 'metric', key: 'a' }, op: '=', value: 1 };
    const b = { kind: 'numeric', field: { type: 'metric', key: 'b' }, op: '=', value: 2 };
    const c = { kind: 'numeric', field: { type: 'metric', key: 'c' }, op: '=', value: 3 };
    expect(parseFilter('metrics.a = 1 OR metrics.b = 2 and metrics.c = 3')).toEqual({
      kind: 'or',
      operands: [a, { kind: 'and', operands: [b, c] }],
    });
    expect(parseFilter('(metrics.a = 1 or metrics.b = 2) AND metrics.c = 3')).toEqual({
      kind: 'and',
      operands: [{ kind: 'or', operands: [a, b] }, c],
    });
    expect(parseFilter('metrics.a = 1 AND (metrics.b = 2 AND metrics.c = 3)')).toEqual({
      kind: 'and',
      operands: [a, b, c],
    });
    expect(parseFilter('((metrics.a = 1))')).toEqual(a);
  });

  it('needs no whitespace around symbols or after a quoted string', () => {
    expect(parseFilter(`params.a='x'AND(metrics.b<2)`)).toMatchObject({ kind: 'and' });
  });

  describe('rejects malformed input, saying what, where and what is valid', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['unknown type prefix', 'metricz.a > 1', /offset 0: unknown type prefix 'metricz'; valid prefixes are metrics, params/],
      ['identifier without prefix', 'rmse > 1', /offset 0: 'rmse' is not an identifier; use <type>\.<key>/],
      ['missing key', 'metrics. > 1', /offset 8: missing key after 'metrics\.'/],
      ['prefix without dot', 'metrics > 1', /offset 7: missing '\.<key>' after 'metrics'/],
      ['empty quoted key', 'metrics.`` > 1', /offset 8: missing key/],
      ['unknown attribute', `attributes.colour = 'x'`, /offset 11: unknown attribute 'colour'; valid attributes are run_id, run_name, status.*start_time, end_time, created/],
      ['unknown dataset field', `datasets.size = 'x'`, /offset 9: unknown dataset field 'size'; valid fields are name, digest, context/],
      ['string comparator on a metric', `metrics.a LIKE '1'`, /offset 10: LIKE does not apply to numeric metric 'a'; use =, !=, >, >=, <, <=/],
      ['IN on a numeric attribute', `attributes.start_time IN ('1')`, /offset 22: IN does not apply to numeric attribute 'start_time'/],
      ['ordering comparator on a string', `params.a > 'x'`, /offset 9: '>' does not apply to string param 'a'; use =, !=, LIKE, ILIKE, IN, NOT IN/],
      ['number for a string field', 'params.lr = 0.01', /offset 12: expected a quoted string for param 'lr' but found '0\.01'/],
      ['string for a numeric field', `metrics.a = '1'`, /offset 12: metric 'a' is numeric; expected a number/],
      ['malformed number', 'metrics.a = 1.2.3', /offset 12: expected a number for metric 'a'/],
      ['missing value', 'metrics.a =', /offset 11: expected a number for metric 'a' but found 'end of input'/],
      ['missing comparator', 'metrics.a 1', /offset 10: expected a comparator/],
      ['NOT without IN', `params.a NOT LIKE 'x'`, /offset 9: expected IN after NOT/],
      ['unterminated string', `params.a = 'abc`, /offset 11: unterminated string/],
      ['unterminated string via escaped quote', `params.a = 'abc\\'`, /offset 11: unterminated string/],
      ['unterminated quoted key', 'metrics.`abc > 1', /offset 8: unterminated `-quoted key/],
      ['unclosed parenthesis', '(metrics.a > 1 AND metrics.b > 2', /offset 0: unbalanced parentheses: '\(' is never closed/],
      ['stray closing parenthesis', 'metrics.a > 1)', /offset 13: unbalanced parentheses: '\)' has no matching '\('/],
      ['trailing garbage', 'metrics.a > 1 metrics.b > 2', /offset 14: unexpected 'metrics\.b'; expected AND, OR or the end/],
      ['garbage in parentheses', '(metrics.a > 1 x)', /offset 15: expected AND, OR or '\)' but found 'x'/],
      ['dangling AND', 'metrics.a > 1 AND', /offset 17: expected an identifier/],
      ['empty parentheses', '()', /offset 1: expected an identifier such as metrics\.rmse but found '\)'/],
      ['empty IN list', 'params.a IN ()', /offset 12: empty IN list/],
      ['unclosed IN list', `params.a IN ('x'`, /expected ',' or '\)' in the IN list opened at offset 12/],
      ['unquoted IN item', `params.a IN ('x', y)`, /offset 18: expected a quoted string/],
      ['LIKE pattern ending in an escape', `params.a LIKE 'x\\\\'`, /offset 14: LIKE pattern ends with an unescaped '\\'/],
    ];
    for (const [what, text, message] of cases) {
      it(what, () => {
        const error = rejection(() => parseFilter(text));
        expect(error.message).toMatch(message);
        expect(error.details).toMatchObject({ filter: text });
      });
    }

    it('treats names of Object.prototype properties as unknown, not as vocabulary', () => {
      expect(rejection(() => parseFilter(`attributes.constructor = 'x'`)).message).toMatch(/unknown attribute 'constructor'/);
      expect(rejection(() => parseFilter(`attributes.hasOwnProperty = 'x'`)).message).toMatch(/unknown attribute 'hasOwnProperty'/);
      expect(rejection(() => parseFilter('constructor.x > 1')).message).toMatch(/unknown type prefix 'constructor'/);
      expect(rejection(() => parseFilter('__proto__.x > 1')).message).toMatch(/unknown type prefix '__proto__'/);
      expect(rejection(() => parseOrderBy(['constructor'])).message).toMatch(/unknown attribute 'constructor'/);
    });

    it('bounds parenthesis nesting', () => {
      const deep = '('.repeat(500) + 'metrics.a > 1' + ')'.repeat(500);
      expect(rejection(() => parseFilter(deep)).message).toMatch(/nested deeper than 64/);
    });
  });
});

describe('parseOrderBy', () => {
  it('returns no keys when absent', () => {
    expect(parseOrderBy(undefined)).toEqual([]);
    expect(parseOrderBy([])).toEqual([]);
  });

  it('parses typed, quoted and bare clauses with optional direction', () => {
    expect(
      parseOrderBy([
        'metrics.rmse DESC',
        'params.lr',
        'attributes.start_time ASC',
        'tags."x y" desc',
        'start_time',
        '  run_name   asc ',
        'attributes.created',
      ]),
    ).toEqual([
      { type: 'metric', key: 'rmse', ascending: false },
      { type: 'param', key: 'lr', ascending: true },
      { type: 'attribute', key: 'start_time', ascending: true },
      { type: 'tag', key: 'x y', ascending: false },
      { type: 'attribute', key: 'start_time', ascending: true },
      { type: 'attribute', key: 'run_name', ascending: true },
      { type: 'attribute', key: 'start_time', ascending: true },
    ]);
  });

  it('rejects bad clauses', () => {
    const cases: Array<[string, RegExp]> = [
      ['metrics.rmse DOWN', /offset 13: invalid direction 'DOWN'; expected ASC or DESC/],
      ['metrics.rmse DESC extra', /offset 18: unexpected 'extra' after the direction/],
      ['datasets.name', /offset 9: datasets cannot be ordered by/],
      ['rmse', /offset 0: unknown attribute 'rmse'; valid attributes are/],
      ['attributes.colour', /offset 11: unknown attribute 'colour'/],
      ['foo.bar', /offset 0: unknown type prefix 'foo'/],
      ['   ', /empty clause/],
    ];
    for (const [clause, message] of cases) {
      const error = rejection(() => parseOrderBy(['start_time', clause]));
      expect(error.message).toMatch(message);
      expect(error.details).toMatchObject({ orderBy: clause, index: 1 });
    }
  });
});
