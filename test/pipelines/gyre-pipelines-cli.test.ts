/** `gyre pipelines` as a user runs it on a DVC project and on Gyre's own YAML. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gyreBin } from '../support/server-process.js';
import { tempDir } from '../../src/test-support/test-databases.js';

const home = tempDir('gyre-cli-pipelines-');
const project = path.join(home, 'project');
fs.mkdirSync(project);
const gyre = (...args: string[]) => spawnSync(process.execPath, [gyreBin, '--home', path.join(home, '.gyre'), ...args], { encoding: 'utf8', cwd: project, env: { ...process.env, GYRE_URL: '', GYRE_REDIS_URL: '' } });
const runJson = (...args: string[]) => {
  const r = gyre('pipelines', 'run', ...args, '--json');
  return { code: r.status, stderr: r.stderr, out: r.stdout ? JSON.parse(r.stdout) : null };
};
const statuses = (out: { steps: { step: string; status: string }[] }) => Object.fromEntries(out.steps.map((s) => [s.step, s.status]));

fs.writeFileSync(path.join(project, 'data.txt'), 'some words\nmore words\n');
fs.writeFileSync(path.join(project, 'params.yaml'), 'train:\n  scale: 2\n');
fs.writeFileSync(
  path.join(project, 'dvc.yaml'),
  `stages:
  prepare:
    cmd: mkdir -p prepared && tr a-z A-Z < data.txt > prepared/upper.txt
    deps: [data.txt]
    outs: [prepared]
  train:
    cmd: echo "scale=$GYRE_PARAM_TRAIN_SCALE" > model.txt && wc -l < prepared/upper.txt >> model.txt
    deps: [prepared]
    params: [train.scale]
    outs: [model.txt]
`,
);

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('gyre pipelines on a dvc.yaml', () => {
  it('run --help says how steps reach workers and how fan-out items share jobs', () => {
    const help = gyre('pipelines', 'run', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/GYRE_REDIS_URL/);
    expect(help.stdout).toMatch(/GYRE_MAX_ITEMS_PER_JOB=1/);
  });


  it('runs the stages in order, then skips them all when nothing changed (cached), and restores a deleted out', () => {
    const first = runJson('dvc.yaml');
    expect(first.code, first.stderr).toBe(0);
    expect(first.out).toMatchObject({ status: 'succeeded', runId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(statuses(first.out)).toEqual({ prepare: 'succeeded', train: 'succeeded' });
    expect(fs.readFileSync(path.join(project, 'model.txt'), 'utf8')).toBe('scale=2\n2\n');

    fs.rmSync(path.join(project, 'model.txt'));
    const second = runJson('dvc.yaml');
    expect(statuses(second.out)).toEqual({ prepare: 'cached', train: 'cached' });
    expect(fs.readFileSync(path.join(project, 'model.txt'), 'utf8')).toBe('scale=2\n2\n');
  });

  it('reruns only the stage whose param changed; --force reruns all', () => {
    fs.writeFileSync(path.join(project, 'params.yaml'), 'train:\n  scale: 3\n');
    expect(statuses(runJson('dvc.yaml').out)).toEqual({ prepare: 'cached', train: 'succeeded' });
    expect(fs.readFileSync(path.join(project, 'model.txt'), 'utf8')).toBe('scale=3\n2\n');
    expect(statuses(runJson('dvc.yaml', '--force').out)).toEqual({ prepare: 'succeeded', train: 'succeeded' });
  });

  it('shows the status graph, lists runs and prints step logs', () => {
    const run = runJson('dvc.yaml').out;
    const show = gyre('pipelines', 'show', run.runId);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/≡ prepare \[cached\]\n\s+≡ train \[cached\]  ← prepare/);
    expect(gyre('pipelines', 'list').stdout).toContain(run.runId);
    const logs = gyre('pipelines', 'logs', run.runId, 'prepare');
    expect(logs.stdout).toContain('$ mkdir -p prepared');
  });
});

describe('gyre pipelines with a failing step and bad input', () => {
  it('fails the run with the step’s error, skips its dependents, and a fixed rerun resumes from cache', () => {
    const file = path.join(project, 'fails.yaml');
    const write = (cmd: string) => fs.writeFileSync(file, `name: fails\nsteps:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n  b:\n    cmd: ${cmd}\n    deps: [a.txt]\n    outs: [b.txt]\n  c:\n    cmd: cat b.txt > c.txt\n    deps: [b.txt]\n    outs: [c.txt]\n`);
    write('echo "boom on stderr" >&2 && exit 3');
    const failed = runJson(file);
    expect(failed.code).toBe(1);
    expect(statuses(failed.out)).toEqual({ a: 'succeeded', b: 'failed', c: 'skipped' });
    expect(failed.out.error).toMatch(/step 'b' failed: Step 'b': command exited with code 3/);
    expect(gyre('pipelines', 'logs', failed.out.runId, 'b').stdout).toContain('boom on stderr');
    write('cp a.txt b.txt');
    expect(statuses(runJson(file).out)).toEqual({ a: 'cached', b: 'succeeded', c: 'succeeded' });
  });

  it('refuses a step whose command does not exist, naming the step, and records no run', () => {
    const file = path.join(project, 'typo.yaml');
    fs.writeFileSync(file, 'name: typo\nsteps:\n  train:\n    cmd: pyhton train.py\n');
    const r = gyre('pipelines', 'run', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Step 'train': the command 'pyhton' does not exist/);
    expect(gyre('pipelines', 'list', '--pipeline', 'typo', '--json').stdout.trim()).toBe('[]');
  });
});

describe('gyre pipelines run on a TypeScript pipeline (compiled module)', () => {
  it('loads definePipeline(...) from the module, runs it, and caches it on the next run', () => {
    const dist = new URL('../../dist/index.js', import.meta.url).href;
    const file = path.join(project, 'typed.mjs');
    fs.writeFileSync(
      file,
      `import { definePipeline, step } from '${dist}';
export const typed = definePipeline({
  name: 'typed',
  module: import.meta.url,
  steps: [
    step({ name: 'numbers', outputs: ['xs'], params: { n: { type: 'number', default: 4 } }, run: ({ params }) => ({ xs: Array.from({ length: params.n }, (_, i) => i) }) }),
    step({ name: 'sum', inputs: { xs: 'numbers.xs' }, outputs: ['total'], run: ({ inputs, log }) => { log('summing', inputs.xs.length); return { total: inputs.xs.reduce((a, b) => a + b, 0) }; } }),
  ],
});
`,
    );
    const first = runJson(file);
    expect(first.code, first.stderr).toBe(0);
    expect(statuses(first.out)).toEqual({ numbers: 'succeeded', sum: 'succeeded' });
    expect(gyre('pipelines', 'logs', first.out.runId, 'sum').stdout).toContain('summing 4');
    expect(statuses(runJson(file).out)).toEqual({ numbers: 'cached', sum: 'cached' });
  });
});
