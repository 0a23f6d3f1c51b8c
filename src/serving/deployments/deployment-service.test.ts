import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlDatabase } from '../../stores/sql-database.js';
import type { SqlDatabase } from '../../stores/sql-database.js';
import { SqlDeploymentStore } from '../../stores/sql/sql-deployment-store.js';
import { DeploymentManager } from './deployment-manager.js';
import { DeploymentService } from './deployment-service.js';
import { MapModelSource } from '../../test-support/map-model-source.js';
import { linearModel } from '../../test-support/tiny-onnx.js';
import { tempDir } from '../../test-support/test-databases.js';

const alice = { user: 'alice' };
const request = { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 0, 0] }] };

describe('DeploymentService', () => {
  let sql: SqlDatabase;
  let manager: DeploymentManager;
  let service: DeploymentService;
  beforeAll(async () => {
    sql = await openSqlDatabase('sqlite:', tempDir());
    const source = new MapModelSource();
    for (const v of [1, 2, 3]) source.add('bikes', v, linearModel([v, 0, 0], 0));
    source.setAlias('bikes', 'champion', 1);
    const store = new SqlDeploymentStore(sql.db);
    manager = new DeploymentManager(store, { source });
    service = new DeploymentService(store, source, () => manager);
  });
  afterAll(async () => {
    await manager.stop();
    await sql.close();
  });

  it('creates a deployment that serves at once and says what it serves', async () => {
    const d = await service.create('bikes', { model: 'bikes@champion' }, alice);
    expect(d.serving).toEqual([{ variant: 'stable', modelName: 'bikes', version: '1' }]);
    expect((await manager.infer('bikes', undefined, request, { headers: {} })).model_version).toBe('1');
  });

  it('refuses unknown models, bad names and bad weights, storing nothing', async () => {
    await expect(service.create('cars', { model: 'cars/1' }, alice)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.create('a/b', { model: 'bikes/1' }, alice)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(service.canary('bikes', 'bikes/2', 120, alice)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(service.canary('bikes', 'bikes/7', 10, alice)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await service.list()).map((d) => d.name)).toEqual(['bikes']);
    expect((await service.history('bikes')).map((c) => c.action)).toEqual(['create']);
  });

  it('runs a canary: start, step, promote; then rolls back to the spec before', async () => {
    let d = await service.canary('bikes', 'bikes/2', 10, { user: 'bob', reason: 'try v2' });
    expect(d.spec.variants.map((v) => [v.model, v.weight])).toEqual([['bikes@champion', 90], ['bikes/2', 10]]);
    d = await service.stepCanary('bikes', 50, alice);
    expect(d.spec.variants.map((v) => v.weight)).toEqual([50, 50]);
    d = await service.promote('bikes', alice);
    expect(d.spec).toEqual({ strategy: 'single', variants: [{ name: 'stable', model: 'bikes/2', weight: 100 }] });
    expect(d.serving).toEqual([{ variant: 'stable', modelName: 'bikes', version: '2' }]);
    d = await service.rollback('bikes', alice);
    expect(d.spec.strategy).toBe('canary');
    d = await service.rollback('bikes', alice);
    expect(d.spec.variants[0]!.model).toBe('bikes@champion');
    const [last] = await service.history('bikes');
    expect(last).toMatchObject({ action: 'rollback', user: 'alice' });
    expect((await service.history('bikes')).find((c) => c.action === 'canary')).toMatchObject({ user: 'bob', reason: 'try v2' });
  });

  it('refuses operations that do not fit the strategy', async () => {
    await expect(service.promote('bikes', alice)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(service.stepCanary('bikes', 20, alice)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('adds and removes a shadow', async () => {
    let d = await service.shadow('bikes', 'bikes/3', 25, alice);
    expect(d.serving.map((s) => s.variant)).toEqual(['stable', 'shadow']);
    d = await service.shadow('bikes', null, 0, alice);
    expect(d.spec.shadow).toBeUndefined();
  });
});
