/**
 * A corrupt model package on disk: the deployment keeps serving the previous version, and the
 * failure becomes a deduplicated critical alert that the next good load resolves.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../services.js';
import type { Services } from '../services.js';
import { resolveConfig } from '../core/config.js';
import { tempDir } from '../test-support/test-databases.js';
import { linearModel } from '../test-support/tiny-onnx.js';
import { PACKAGE_ROOT } from '../models/model-package.js';
import { servingAlertBridge } from './serving-alerts.js';
import type { DeploymentManager } from './deployments/deployment-manager.js';

describe('serving alerts', () => {
  const home = tempDir('gyre-serving-alerts-');
  let services: Services;
  let manager: DeploymentManager;
  const actor = { user: 'alice', reason: null };
  const request = { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 0, 0] }] };

  beforeAll(async () => {
    services = await openServices(resolveConfig({ home, remoteUrl: null }));
    for (const v of [1, 2, 3]) await services.models.register({ name: 'm', onnx: linearModel([v, 0, 0], 0), ...(v === 1 ? { alias: 'champion' } : {}) }, actor);
    // Version 2's bytes rot on disk after registration: they no longer hash to the package's address.
    const v2 = await services.registry.getVersion('m', 2);
    await services.artifactStore.put(`${PACKAGE_ROOT}/${v2.packageDigest!.replace('sha256:', '')}/model.onnx`, new TextEncoder().encode('not an onnx model'));
    await services.serving.deployments.create('live', { model: 'm@champion' }, actor);
    manager = services.serving.start({ pollMs: 3_600_000, onEvent: servingAlertBridge(services.monitoring) });
    await manager.sync();
  });
  afterAll(async () => {
    await services.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const answer = async () => (await manager.infer('live', undefined, request, { headers: {} })).model_version;
  const firing = () => services.monitoring.listAlerts({ monitor: 'serving:live', status: 'firing' });
  const settle = () => new Promise((r) => setTimeout(r, 50));

  it('a version that fails to load leaves the previous one serving and raises one critical alert', async () => {
    expect(await answer()).toBe('1');
    await services.registry.setAlias('m', 'champion', 2, actor);
    await manager.sync();
    await manager.sync(); // a second reconcile fails again: still one alert
    await settle();
    expect(await answer()).toBe('1');
    const alerts = await firing();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ deployment: 'live', rule: 'model_load_failed', severity: 'critical', message: expect.stringMatching(/failed to load on deployment 'live'.*corrupt/) });
  });

  it('the next good version loads, serves, and resolves the alert', async () => {
    await services.registry.setAlias('m', 'champion', 3, actor);
    await manager.sync();
    await settle();
    expect(await answer()).toBe('3');
    expect(await firing()).toHaveLength(0);
    expect((await services.monitoring.listAlerts({ monitor: 'serving:live' }))[0]).toMatchObject({ status: 'resolved' });
  });
});
