/** `gyre train` as a user runs it: fit, evaluate, track, log as ONNX, register with lineage to the data. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gyreBin } from '../support/server-process.js';
import { tempDir } from '../../src/test-support/test-databases.js';

const home = tempDir('gyre-cli-train-');
const gyre = (...args: string[]) => spawnSync(process.execPath, [gyreBin, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, GYRE_URL: '', GYRE_USER: 'alice' } });

// y = 3·x + (city == "b" ? 20 : 0) + noise; churn = x > 5
const rows = Array.from({ length: 600 }, (_, i) => {
  const x = (i * 7) % 10;
  const city = ['a', 'b', 'c'][i % 3]!;
  return [x, city, 3 * x + (city === 'b' ? 20 : 0) + ((i * 13) % 5) / 10, x > 5 ? 'yes' : 'no'];
});
const file = path.join(home, 'train.csv');
fs.writeFileSync(file, ['x,city,y,churn', ...rows.map((r) => r.join(','))].join('\n') + '\n');

describe('gyre train', () => {
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('fits a regression from a dataset version, reports held-out metrics and registers it with lineage to the data', () => {
    expect(gyre('data', 'add', file, '--name', 'toy').status).toBe(0);
    const r = gyre('train', '--data', 'toy@1', '--target', 'y', '--features', 'x,city', '--register', 'toy-model', '--alias', 'champion', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: 'gbdt', task: 'regression', trainRows: 480, testRows: 120, registered: { name: 'toy-model', version: 1, aliases: ['champion'] } });
    expect(out.metrics.rmse).toBeLessThan(2);
    const lineage = JSON.parse(gyre('models', 'lineage', 'toy-model@champion', '--json').stdout);
    expect(lineage.nodes.find((n: { kind: string }) => n.kind === 'dataset').label).toMatch(/^toy@/);
  });

  it('fits a linear classifier from a file', () => {
    const r = gyre('train', '--data', file, '--target', 'churn', '--model', 'linear', '--features', 'x,city', '--sensitive', 'city', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: 'linear', task: 'classification', registered: null });
    expect(out.metrics.accuracy).toBeGreaterThan(0.9);
    expect(Object.keys(out.metrics)).toEqual(expect.arrayContaining(['roc_auc', 'pr_auc', 'precision', 'recall', 'f1', 'dp_difference', 'eo_difference', 'accuracy/city:a', 'selection_rate/city:b']));
  });

  it('refuses an unknown target or parameter, tracking nothing', () => {
    const before = gyre('runs', 'list', '-e', 'training', '--json').stdout;
    const bad = gyre('train', '--data', file, '--target', 'nope');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Unknown column 'nope'/);
    const param = gyre('train', '--data', file, '--target', 'y', '--params', 'learningRat=0.1');
    expect(param.status).toBe(1);
    expect(param.stderr).toMatch(/learningRat/);
    expect(gyre('runs', 'list', '-e', 'training', '--json').stdout).toBe(before);
  });
});
