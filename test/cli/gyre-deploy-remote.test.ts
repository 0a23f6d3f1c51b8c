/** `gyre deploy` against a running server (--url), as a user changes a deployment from another machine. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { gyreBin } from '../support/server-process.js';
import { startTestServer } from '../../src/test-support/test-server.js';
import type { TestServer } from '../../src/test-support/test-server.js';
import { linearModel } from '../../src/test-support/tiny-onnx.js';

let server: TestServer;
let url: string;
/** The CLI in its own process: the test server answers on this process's event loop meanwhile. */
const gyre = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [gyreBin, '--url', url, 'deploy', ...args], { env: { ...process.env, GYRE_USER: 'carol' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });

describe('gyre deploy --url', () => {
  beforeAll(async () => {
    server = await startTestServer('gyre-cli-deploy-');
    url = await server.listen();
    await server.services.models.register({ name: 'lin', onnx: linearModel([1, 0, 0], 0), alias: 'champion' }, { user: 'a' });
    await server.services.models.register({ name: 'lin', onnx: linearModel([2, 0, 0], 0) }, { user: 'a' });
  });
  afterAll(() => server?.close());

  it('creates a deployment on the server, starts a canary and shows who did it', async () => {
    const created = await gyre('create', 'lin', '--model', 'lin@champion', '--reason', 'first release');
    expect([created.status, created.stderr]).toEqual([0, '']);
    expect(created.stdout).toContain('lin@champion');
    expect((await gyre('canary', 'lin', '--model', 'lin/2', '--percent', '10')).status).toBe(0);
    expect((await server.services.serving.deployments.get('lin')).spec.variants.map((v) => [v.model, v.weight])).toEqual([['lin@champion', 90], ['lin/2', 10]]);
    const history = await gyre('history', 'lin');
    expect(history.stdout).toMatch(/carol\s+canary/);
    expect(history.stdout).toMatch(/carol\s+create\s+first release/);
    const missing = await gyre('show', 'nope');
    expect([missing.status, missing.stderr]).toEqual([1, expect.stringContaining('NOT_FOUND')]);
  });
});
