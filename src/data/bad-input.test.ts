/** The bad inputs: each is a clear error naming the file, line or expectation, and registers nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataFixture } from './test-support/data-fixture.js';
import type { DataFixture } from './test-support/data-fixture.js';
import { parseSuiteText } from './suite-parser.js';
import { suite } from './suite-builder.js';

describe('bad input', () => {
  let fx: DataFixture;
  beforeAll(async () => {
    fx = await openDataFixture();
  });
  afterAll(async () => fx.close());

  async function refused(name: string, content: string | Buffer, message: RegExp, readOptions = {}) {
    const file = fx.write(name, content);
    const err = await fx.data.add({ name: 'bad', source: file, readOptions }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(message);
    // Nothing half-registered: the dataset does not exist at all.
    await expect(fx.data.versions('bad')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }

  it('names the line with the wrong field count', () => refused('fields.csv', 'a,b\n1,2\n3,4,5\n6,7\n', /line 3: expected 2 fields, found 3/));
  it('names the line with bad quoting', () => refused('quote.csv', 'a,b\n1,2\n3,"x"y\n', /line 3: bad quoting/));
  it('names the line where a quoted field is never closed', () => refused('open.csv', 'a,b\n1,2\n3,"x\n4,5\n', /line 3: bad quoting: a quoted field is never closed/));
  it('names the line that is not UTF-8', () =>
    refused('latin.csv', Buffer.concat([Buffer.from('city,n\nOslo,1\nZ'), Buffer.from([0xfc]), Buffer.from('rich,2\n')]), /line 3: not valid UTF-8.*encoding/));
  it('refuses an empty file', () => refused('empty.csv', '', /is empty/));
  it('refuses a header without rows', () => refused('header.csv', 'a,b\n', /no data rows/));

  it('reads the same Latin-1 file when told its encoding', async () => {
    const file = fx.write('latin-ok.csv', Buffer.concat([Buffer.from('city,n\nZ'), Buffer.from([0xfc]), Buffer.from('rich,2\n')]));
    const { version } = await fx.data.add({ name: 'latin', source: file, readOptions: { encoding: 'latin-1' } });
    expect(version.profile.columns[0].topValues).toEqual([{ value: 'Zürich', count: 1 }]);
  });

  it('refuses unknown or malformed read options by name', async () => {
    const file = fx.write('ok.csv', 'a\n1\n');
    await expect(fx.data.add({ name: 'x', source: file, readOptions: { delimter: ';' } as never })).rejects.toThrow(/Unknown read option 'delimter'/);
    await expect(fx.data.add({ name: 'x', source: file, readOptions: { skip: -1 } })).rejects.toThrow(/'skip' must be a non-negative integer/);
    await expect(fx.data.add({ name: 'x', source: fx.write('missing-dir/none.csv', '') + '.nope' })).rejects.toThrow(/No file at/);
  });

  it('names the expectation and argument that is invalid', () => {
    const yaml = `name: s\nexpectations:\n  - type: expect_column_to_exist\n    column: a\n  - type: expect_column_values_to_be_between\n    column: age\n    min: ten\n`;
    expect(() => parseSuiteText(yaml, 'suite.yaml')).toThrow("suite.yaml: expectation #2 (expect_column_values_to_be_between): 'min' must be a number");
    expect(() => parseSuiteText('{"expectations":[{"type":"expect_column_values_to_not_be_null","column":"a","mostly":1.5}]}', 's.json')).toThrow(/#1.*'mostly' must be a number between 0 and 1/);
    expect(() => parseSuiteText('{"expectations":[{"type":"expect_column_values_to_be_between","column":"a"}]}')).toThrow(/needs 'min', 'max' or both/);
    expect(() => parseSuiteText('{"expectations":[{"type":"expect_values_fine","column":"a"}]}')).toThrow(/unknown type 'expect_values_fine'/);
    expect(() => parseSuiteText('{"expectations":[{"type":"expect_column_to_exist","colum":"a"}]}')).toThrow(/unknown argument 'colum'/);
    expect(() => parseSuiteText('{"expectations":[{"type":"expect_column_values_to_match_regex","column":"a","regex":"("}]}')).toThrow(/'regex' is not a valid regular expression/);
    expect(() => parseSuiteText('expectations: [unclosed', 'x.yaml')).toThrow(/x.yaml is not valid JSON or YAML/);
    expect(() => suite('b').between('age', { min: 10, max: 1 }).build()).toThrow(/#1.*'min' \(10\) is greater than 'max' \(1\)/);
  });

  it('fails, naming the expectation and column, when a suite names a column that does not exist', async () => {
    await fx.data.add({ name: 'cols', source: fx.write('cols.csv', 'a,b\n1,2\n') });
    const report = await fx.data.validate('cols@1', suite('s').notNull('a').notNull('ghost').build());
    expect(report.success).toBe(false);
    expect(report.results[0].success).toBe(true);
    expect(report.results[1].error).toBe("column 'ghost' named by #2 expect_column_values_to_not_be_null(ghost) does not exist in cols@1 (columns: a, b)");
  });
});
