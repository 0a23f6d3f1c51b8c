/**
 * The inference log written from a worker thread on SQLite: every record of a deployment that is
 * closed right after serving is on disk, intact, when the store is opened again.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openServices } from '../../services.js';
import { resolveConfig } from '../../core/config.js';
import { tempDir } from '../../test-support/test-databases.js';
import { linearModel } from '../../test-support/tiny-onnx.js';

describe('threaded inference-log appender (SQLite)', () => {
  const home = tempDir('gyre-threaded-log-');
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('loses no record when the process closes right after serving', async () => {
    const config = resolveConfig({ home, remoteUrl: null });
    const first = await openServices(config);
    await first.models.register({ name: 'm', onnx: linearModel([2, 0, 0], 0), alias: 'champion' }, { user: 'alice' });
    await first.serving.deployments.create('d', { model: 'm@champion' }, { user: 'alice' });
    const manager = first.serving.start({ pollMs: 3_600_000 });
    await manager.sync();
    for (let i = 0; i < 700; i++) {
      const body = { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [i, 0, 0] }] };
      // Half as parsed values, half with the body's text as an HTTP transport passes it.
      await manager.infer('d', undefined, body, { headers: {}, requestId: `r${i}`, ...(i % 2 ? { requestJson: JSON.stringify(body) } : {}) });
    }
    await first.close();

    const again = await openServices(config);
    try {
      expect((await again.serving.inferenceLog.count('d', 0, Date.now() + 1)).primary).toBe(700);
      const rows = await again.serving.inferenceLog.readWindow({ deployment: 'd', from: 0, to: Date.now() + 1, limit: 1000 });
      const last = rows.find((r) => r.requestId === 'r699')!;
      expect(last.inputs).toEqual({ x: [699, 0, 0] });
      expect(last.modelVersion).toBe('1');
      expect(rows.find((r) => r.requestId === 'r698')!.inputs).toEqual({ x: [698, 0, 0] });
    } finally {
      await again.close();
    }
  });
});
