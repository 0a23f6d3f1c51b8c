/** What every DeploymentStore backend must do. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentStore } from './deployment-store.js';
import type { DeploymentSpec } from './entities.js';

export interface DeploymentStoreFixture {
  store: DeploymentStore;
  cleanup(): Promise<void>;
}

const single = (model: string): DeploymentSpec => ({ strategy: 'single', variants: [{ name: 'stable', model, weight: 100 }] });
const by = (action: string, at = Date.now()) => ({ at, user: 'alice', action, reason: null });

export function deploymentStoreContract(name: string, make: () => Promise<DeploymentStoreFixture>): void {
  describe(`DeploymentStore contract: ${name}`, () => {
    let f: DeploymentStoreFixture;
    beforeAll(async () => (f = await make()));
    afterAll(() => f?.cleanup());

    it('creates, reads and lists deployments; a taken name is ALREADY_EXISTS and changes nothing', async () => {
      const d = await f.store.create('bikes', single('bikes@champion'), by('create'));
      expect(d).toMatchObject({ name: 'bikes', spec: single('bikes@champion') });
      await expect(f.store.create('bikes', single('other/1'), by('create'))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      expect((await f.store.get('bikes')).spec).toEqual(single('bikes@champion'));
      expect((await f.store.list()).map((x) => x.name)).toContain('bikes');
      await expect(f.store.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await f.store.history('bikes', 10)).toHaveLength(1);
    });

    it('updates by compare-and-set: of two edits from the same read, the second is a CONFLICT', async () => {
      const d = await f.store.create('cas', single('m/1'), by('create'));
      const canary: DeploymentSpec = { strategy: 'canary', variants: [{ name: 'stable', model: 'm/1', weight: 90 }, { name: 'canary', model: 'm/2', weight: 10 }] };
      await f.store.update('cas', d.spec, canary, { ...by('canary'), reason: 'try v2' });
      await expect(f.store.update('cas', d.spec, single('m/3'), by('set'))).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await f.store.get('cas')).spec).toEqual(canary);
      const [latest] = await f.store.history('cas', 10);
      expect(latest).toMatchObject({ action: 'canary', user: 'alice', reason: 'try v2', before: single('m/1'), after: canary });
    });

    it('deletes, keeping the history; updating or deleting a missing deployment is NOT_FOUND', async () => {
      await f.store.create('gone', single('m/1'), by('create'));
      await f.store.delete('gone', by('delete'));
      await expect(f.store.get('gone')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(f.store.delete('gone', by('delete'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(f.store.update('gone', single('m/1'), single('m/2'), by('set'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await f.store.history('gone', 10)).map((c) => c.action)).toEqual(['delete', 'create']);
    });
  });
}
