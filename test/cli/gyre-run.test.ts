/** `gyre run -- <command>` as a user runs it: environment, captured output, status by exit code. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { gyreBin } from '../support/server-process.js';
import { openServices } from '../../src/services.js';
import { tempDir } from '../../src/test-support/test-databases.js';

const home = tempDir('gyre-cli-');
const gyre = (...args: string[]) => spawnSync(process.execPath, [gyreBin, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, GYRE_URL: '' } });

describe('gyre run', () => {
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('passes run ids and URLs to the command, captures its output and marks FINISHED', async () => {
    const script = `console.log(JSON.stringify({ g: process.env.GYRE_RUN_ID, m: process.env.MLFLOW_RUN_ID, u: process.env.GYRE_URL, t: process.env.MLFLOW_TRACKING_URI }));
      fetch(process.env.MLFLOW_TRACKING_URI + '/api/2.0/mlflow/runs/log-metric', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ run_id: process.env.MLFLOW_RUN_ID, key: 'acc', value: 0.9, timestamp: Date.now() }) }).then((r) => console.error('logged ' + r.status));`;
    const res = gyre('run', '-e', 'cli', '-n', 'ok-run', '--', process.execPath, '-e', script);
    expect(res.status).toBe(0);
    const env = JSON.parse(res.stdout.trim().split('\n')[0]);
    expect(env.g).toMatch(/^[0-9a-f]{32}$/);
    expect(env.m).toBe(env.g);
    expect(env.t).toBe(env.u);
    expect(env.u).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const services = await openServices({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
    try {
      const run = await services.tracking.getRun(env.g);
      expect(run.info).toMatchObject({ status: 'FINISHED', runName: 'ok-run' });
      expect(run.info.endTime).toBeGreaterThanOrEqual(run.info.startTime);
      expect(run.data.metrics).toEqual([expect.objectContaining({ key: 'acc', value: 0.9 })]);
      const log = await services.runArtifacts.download(env.g, 'output.log');
      let text = '';
      for await (const chunk of log as AsyncIterable<Buffer>) text += chunk.toString();
      expect(text).toContain(env.g);
      expect(text).toContain('logged 200');
    } finally {
      await services.close();
    }
  });

  it('marks FAILED and returns the exit code of a failing command', async () => {
    const res = gyre('run', '-e', 'cli', '-n', 'bad-run', '--', process.execPath, '-e', 'process.exit(3)');
    expect(res.status).toBe(3);
    const services = await openServices({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
    try {
      const exp = await services.tracking.getExperimentByName('cli');
      const runs = await services.tracking.searchRuns({ experimentIds: [exp.experimentId], filter: "attributes.run_name = 'bad-run'" });
      expect(runs.items[0].info.status).toBe('FAILED');
    } finally {
      await services.close();
    }
  });

  it('lists its commands in --help', () => {
    const res = gyre('--help');
    expect(res.status).toBe(0);
    for (const command of ['server', 'run', 'experiments', 'runs']) expect(res.stdout).toContain(command);
  });
});
