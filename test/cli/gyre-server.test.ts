/** `gyre server` as started by a user: loopback by default, /health, clean stop on SIGTERM. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { startServerProcess } from '../support/server-process.js';
import { tempDir } from '../../src/test-support/test-databases.js';

describe('gyre server', () => {
  it('binds to 127.0.0.1 by default, answers /health, serves MLflow and stops cleanly', async () => {
    const home = tempDir('gyre-srv-');
    const server = await startServerProcess(home);
    try {
      expect(new URL(server.url).hostname).toBe('127.0.0.1');
      const health = await fetch(`${server.url}/health`);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const exp = await fetch(`${server.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default`);
      expect(((await exp.json()) as { experiment: { experiment_id: string } }).experiment.experiment_id).toBe('0');
      expect(fs.existsSync(`${home}/gyre.db`)).toBe(true);
    } finally {
      await server.stop('SIGTERM');
    }
    expect(server.child.exitCode).toBe(0);
    fs.rmSync(home, { recursive: true, force: true });
  });
});

describe('gyre server shutdown', () => {
  it('answers the inference requests in flight when it gets SIGTERM, then exits cleanly', async () => {
    const { openServices } = await import('../../src/services.js');
    const { linearModel } = await import('../../src/test-support/tiny-onnx.js');
    const home = tempDir('gyre-srv-drain-');
    const services = await openServices({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
    await services.models.register({ name: 'm', onnx: linearModel([3, 0, 0], 0), alias: 'champion' }, { user: 'alice' });
    // A lone request waits 1 s in the batcher for company: long enough to be in flight at SIGTERM.
    await services.serving.deployments.create('slow', { strategy: 'single', variants: [{ name: 'main', model: 'm@champion', weight: 100 }], batching: { maxBatchRows: 8, maxQueueDelayMs: 1000 } }, { user: 'alice' });
    await services.close();
    const server = await startServerProcess(home);
    try {
      for (let i = 0; i < 200 && (await fetch(`${server.url}/v2/models/slow/ready`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 50));
      const body = JSON.stringify({ inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [2, 0, 0] }] });
      const inFlight = fetch(`${server.url}/v2/models/slow/infer`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]!.data).toEqual([6]);
      expect(await exited).toBe(0);
    } finally {
      await server.stop('SIGKILL');
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 30_000);
});
