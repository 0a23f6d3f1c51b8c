/**
 * The DatasetStore contract: what every backend must do with dataset metadata. Run by
 * stores/sql/sql-dataset-store.test.ts against SQLite and (when configured) PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetStore } from './dataset-store.js';
import type { NewDatasetVersion } from './entities.js';

export interface DatasetStoreFixture {
  store: DatasetStore;
  cleanup(): Promise<void>;
}

const hex = (c: string) => c.repeat(64);

export function newVersion(name: string, digestChar: string, extra: Partial<NewDatasetVersion> = {}): NewDatasetVersion {
  return {
    name,
    digest: `sha256:${hex(digestChar)}`,
    source: 'data/train.csv',
    readOptions: { format: 'csv', trim: true, nullValues: ['?'] },
    files: [{ name: 'train.csv', digest: `sha256:${hex(digestChar)}`, size: 10 }],
    rowCount: 3,
    schema: [{ name: 'age', type: 'integer' }],
    profile: { rowCount: 3, duplicateRows: 0, columns: [{ name: 'age', type: 'integer', count: 3, missing: 0, missingShare: 0, distinct: 3, min: 1, max: 3, mean: 2 }] },
    createdBy: 'ana',
    createdAt: 1_700_000_000_000,
    tags: { team: 'risk' },
    ...extra,
  };
}

export function datasetStoreContract(backend: string, open: () => Promise<DatasetStoreFixture>): void {
  describe(`DatasetStore contract: ${backend}`, () => {
    let fx: DatasetStoreFixture;
    beforeEach(async () => {
      fx = await open();
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('numbers versions from 1 per dataset and round-trips every field', async () => {
      const a = await fx.store.addVersion(newVersion('adult', 'a'));
      const b = await fx.store.addVersion(newVersion('adult', 'b'));
      const other = await fx.store.addVersion(newVersion('bikes', 'a'));
      expect([a.version.version, b.version.version, other.version.version]).toEqual([1, 2, 1]);
      expect(a.created && b.created && other.created).toBe(true);
      expect(await fx.store.getVersion('adult', 1)).toEqual({ ...newVersion('adult', 'a'), version: 1 });
      expect((await fx.store.getLatestVersion('adult')).version).toBe(2);
    });

    it('returns the existing version when the same content is added again', async () => {
      await fx.store.addVersion(newVersion('adult', 'a'));
      const again = await fx.store.addVersion(newVersion('adult', 'a', { source: 'elsewhere.csv', createdBy: 'bo' }));
      expect(again.created).toBe(false);
      expect(again.version.version).toBe(1);
      expect(again.version.createdBy).toBe('ana');
      expect(await fx.store.listVersions('adult')).toHaveLength(1);
    });

    it('creates exactly one version when identical adds race', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => fx.store.addVersion(newVersion('adult', 'c'))));
      expect(new Set(results.map((r) => r.version.version))).toEqual(new Set([1]));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await fx.store.listVersions('adult')).toHaveLength(1);
    });

    it('gives racing different contents distinct numbers', async () => {
      const results = await Promise.all(['1', '2', '3', '4'].map((c) => fx.store.addVersion(newVersion('adult', c))));
      expect(results.map((r) => r.version.version).sort()).toEqual([1, 2, 3, 4]);
    });

    it('finds versions by digest prefix', async () => {
      await fx.store.addVersion(newVersion('adult', 'a', { digest: `sha256:abc1${'0'.repeat(60)}` }));
      await fx.store.addVersion(newVersion('adult', 'b', { digest: `sha256:abc2${'0'.repeat(60)}` }));
      expect((await fx.store.findByDigestPrefix('adult', 'abc1')).map((v) => v.version)).toEqual([1]);
      expect(await fx.store.findByDigestPrefix('adult', 'abc')).toHaveLength(2);
      expect(await fx.store.findByDigestPrefix('adult', 'ffff')).toEqual([]);
      expect(await fx.store.findByDigestPrefix('adult', '%')).toEqual([]);
    });

    it('answers NOT_FOUND for unknown datasets and versions', async () => {
      await expect(fx.store.getVersion('nope', 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(fx.store.getLatestVersion('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(fx.store.listVersions('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await fx.store.addVersion(newVersion('adult', 'a'));
      await expect(fx.store.getVersion('adult', 2)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no version 2') });
    });

    it('lists datasets with their latest version', async () => {
      expect(await fx.store.listDatasets()).toEqual([]);
      await fx.store.addVersion(newVersion('bikes', 'a'));
      await fx.store.addVersion(newVersion('adult', 'a'));
      await fx.store.addVersion(newVersion('adult', 'b', { rowCount: 7 }));
      const list = await fx.store.listDatasets();
      expect(list.map((d) => [d.name, d.versionCount, d.latest?.version, d.latest?.rowCount])).toEqual([
        ['adult', 2, 2, 7],
        ['bikes', 1, 1, 3],
      ]);
    });
  });
}
