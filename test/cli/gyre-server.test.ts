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
