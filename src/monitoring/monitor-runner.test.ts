import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test-support/test-server.js';
import type { TestServer } from '../test-support/test-server.js';
import { linearModel } from '../test-support/tiny-onnx.js';
import { fitProfile } from './profiles/fit-profile.js';
import { MonitorRunner } from './monitor-runner.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2012, 5, 1);

describe('MonitorRunner', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const { models, serving, monitoring } = server.services;
    const manifest = { task: 'regression', inputs: [{ name: 'temp', type: 'number', tensor: 'x', column: 0 }], inputExample: [{ temp: 1 }] };
    await models.register({ name: 'm', onnx: linearModel([1], 0), manifest, alias: 'champion' }, { user: 'a' });
    await serving.deployments.create('d', { model: 'm@champion' }, { user: 'a' });
    await monitoring.profiles.save('ref', fitProfile({ source: 'mem', kinds: { temp: 'numeric' }, columns: { temp: Array.from({ length: 50 }, (_, i) => i) } }));
    await monitoring.create('hourly', { deployment: 'd', profile: 'ref', window: { kind: 'time', ms: HOUR }, startAt: T0, rules: [] });
  });
  afterAll(() => server.close());

  it('evaluates on an injected clock, one tick at a time, and on its own timer once started', async () => {
    let now = T0 + 30 * 60_000;
    const runner = new MonitorRunner(server.services.monitoring, { clock: () => now, intervalMs: 20 });
    expect(await runner.tick()).toEqual([]); // the first hour has not closed
    now = T0 + 3 * HOUR;
    const [a, b] = await Promise.all([runner.tick(), runner.tick()]);
    expect(a).toBe(b);
    expect(a).toEqual([{ monitor: 'hourly', windows: 3, error: null }]);
    now = T0 + 5 * HOUR;
    runner.start();
    const end = Date.now() + 5000;
    while ((await server.services.monitoring.get('hourly')).state.nextWindowStart < T0 + 5 * HOUR && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    expect((await server.services.monitoring.get('hourly')).state.nextWindowStart).toBe(T0 + 5 * HOUR);
  });
});
