/** Behaviour users rely on when adding and addressing dataset versions. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDataFixture } from './test-support/data-fixture.js';
import type { DataFixture } from './test-support/data-fixture.js';
import { newVersion } from './dataset-store.contract.js';
import { openDuckSession } from './engine/duckdb-session.js';

const CSV = 'id,city,temp\n1,Oslo,3.5\n2,Lima,19\n3,Oslo,\n';

describe('DataService: versions by content', () => {
  let fx: DataFixture;
  beforeEach(async () => {
    fx = await openDataFixture();
  });
  afterEach(async () => fx.close());

  it('returns the same version for identical content and a new one for any change', async () => {
    const a = await fx.data.add({ name: 'w', source: fx.write('a.csv', CSV), tags: { from: 'test' } });
    const again = await fx.data.add({ name: 'w', source: fx.write('copy.csv', CSV) });
    const changed = await fx.data.add({ name: 'w', source: fx.write('b.csv', CSV.replace('19', '20')) });
    expect([a.created, again.created, changed.created]).toEqual([true, false, true]);
    expect(again.version).toEqual(a.version);
    expect(changed.version.version).toBe(2);
    expect(a.version.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.version.tags).toEqual({ from: 'test' });
  });

  it('creates one version when identical adds run concurrently', async () => {
    const file = fx.write('a.csv', CSV);
    const results = await Promise.all([1, 2, 3].map(() => fx.data.add({ name: 'w', source: file })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await fx.data.versions('w')).toHaveLength(1);
  });

  it('types columns from every value and profiles them', async () => {
    const { version } = await fx.data.add({ name: 'w', source: fx.write('a.csv', CSV) });
    expect(version.schema).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'city', type: 'string' },
      { name: 'temp', type: 'number' },
    ]);
    const temp = version.profile.columns[2];
    expect(temp).toMatchObject({ count: 2, missing: 1, min: 3.5, max: 19, mean: 11.25 });
    expect(version.profile.columns[1].topValues).toEqual([{ value: 'Oslo', count: 2 }, { value: 'Lima', count: 1 }]);
    expect(version.profile.columns[1].lengths).toEqual({ min: 4, max: 4, mean: 4 });
  });

  it('types a column from every value, not a sample: a late non-number makes it text', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i},${i % 7}`);
    rows.push('30000,n/a');
    const { version } = await fx.data.add({ name: 'late', source: fx.write('late.csv', `id,code\n${rows.join('\n')}\n`) });
    expect(version.schema).toEqual([{ name: 'id', type: 'integer' }, { name: 'code', type: 'string' }]);
    expect(version.profile.columns[1].topValues?.find((t) => t.value === 'n/a')).toEqual({ value: 'n/a', count: 1 });
  });

  it('addresses versions by number, digest prefix and latest, and says when a prefix is ambiguous', async () => {
    const v1 = (await fx.data.add({ name: 'w', source: fx.write('a.csv', CSV) })).version;
    const v2 = (await fx.data.add({ name: 'w', source: fx.write('b.csv', `${CSV}4,Rome,11\n`) })).version;
    expect((await fx.data.get('w@1')).digest).toBe(v1.digest);
    expect((await fx.data.get('w@latest')).version).toBe(2);
    expect((await fx.data.get('w')).version).toBe(2);
    expect((await fx.data.get(`w@${v2.digest.slice(7, 15)}`)).version).toBe(2);
    expect((await fx.data.get(`w@${v1.digest.slice(0, 14)}`)).version).toBe(1);
    await expect(fx.data.get('w@9')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(fx.data.get('nope@1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(fx.data.get('w@xyz!')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('reports an ambiguous digest prefix with the candidates', async () => {
    for (const [c, rest] of [['1', 'a'], ['2', 'b']]) {
      await fx.datasets.addVersion(newVersion('amb', c, { digest: `sha256:1234${rest.repeat(60)}` }));
    }
    // All digits would be read as a version number: `sha256:` makes it a prefix.
    await expect(fx.data.get('amb@sha256:1234')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('ambiguous') });
    expect((await fx.data.get('amb@sha256:1234b')).version).toBe(2);
    await expect(fx.data.get('amb@1234')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('adds a glob as one version, identified by file names and contents', async () => {
    fx.write('parts/a.csv', 'k,v\n1,x\n');
    fx.write('parts/b.csv', 'k,v\n2,y\n');
    const glob = path.join(fx.dir, 'files', 'parts', '*.csv');
    const { version } = await fx.data.add({ name: 'g', source: glob });
    expect(version.files.map((f) => f.name)).toEqual(['a.csv', 'b.csv']);
    expect(version.rowCount).toBe(2);
    fs.renameSync(path.join(fx.dir, 'files', 'parts', 'b.csv'), path.join(fx.dir, 'files', 'parts', 'c.csv'));
    expect((await fx.data.add({ name: 'g', source: glob })).created).toBe(true);
  });

  it('reads NDJSON and JSON arrays, with column names that clash with nothing', async () => {
    const nd = await fx.data.add({ name: 'j', source: fx.write('a.ndjson', '{"a":1,"b":"x","value":1}\n{"a":2,"b":null,"value":1}\n') });
    expect(nd.version.schema).toEqual([{ name: 'a', type: 'integer' }, { name: 'b', type: 'string' }, { name: 'value', type: 'integer' }]);
    expect(nd.version.profile.columns[1].missing).toBe(1);
    const arr = await fx.data.add({ name: 'j2', source: fx.write('a.json', '[{"a":1.5},{"a":2.5}]') });
    expect(arr.version.profile.columns[0].mean).toBe(2);
  });

  it('reads Parquet with its own types, decimals as numbers', async () => {
    const file = path.join(fx.dir, 'files', 't.parquet');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const duck = await openDuckSession();
    try {
      await duck.run(`COPY (SELECT i AS id, i * 1.5 AS x, CAST(i AS DECIMAL(10, 2)) AS d, DATE '2024-01-01' + CAST(i AS INTEGER) AS day, i % 2 = 0 AS even FROM range(4) t(i)) TO '${file}' (FORMAT parquet)`);
    } finally {
      duck.close();
    }
    const { version } = await fx.data.add({ name: 'pq', source: file });
    expect(version.readOptions.format).toBe('parquet');
    expect(version.schema.map((c) => c.type)).toEqual(['integer', 'number', 'number', 'date', 'boolean']);
    expect(version.profile.columns[3]).toMatchObject({ min: '2024-01-01', max: '2024-01-04' });
    expect(version.profile.columns[4].topValues).toEqual([{ value: false, count: 2 }, { value: true, count: 2 }]);
    const report = await fx.data.validate('pq@1', { name: 's', expectations: [{ type: 'expect_column_values_to_be_between', column: 'day', min: '2024-01-02' }] });
    expect(report.results[0]).toMatchObject({ success: false, unexpectedCount: 1, sample: [{ row: 1 }] });
  });

  it("adds a file from Gyre's artifact store, e.g. one a run logged", async () => {
    const stored = await fx.data.add({ name: 'w', source: fx.write('a.csv', CSV) });
    await fx.artifacts.put('0/run1/artifacts/data/a.csv', CSV);
    const fromStore = await fx.data.add({ name: 'w', source: 'mlflow-artifacts:/0/run1/artifacts/data/a.csv' });
    expect(fromStore).toEqual({ version: stored.version, created: false });
    await expect(fx.data.add({ name: 'w', source: 'mlflow-artifacts:/0/run1/artifacts/none.csv' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(fx.data.add({ name: 'w', source: 's3://bucket/a.csv' })).rejects.toThrow(/local paths, file:\/\/ URLs and Gyre's artifact store/);
  });

  it('re-reads a version from the artifact store even after the source file is gone', async () => {
    const file = fx.write('a.csv', CSV);
    await fx.data.add({ name: 'w', source: file });
    fs.rmSync(file);
    const report = await fx.data.validate('w@1', { name: 's', expectations: [{ type: 'expect_column_values_to_not_be_null', column: 'temp' }] });
    expect(report.success).toBe(false);
    expect(report.results[0].sample).toEqual([{ row: 3, value: null }]);
  });
});
