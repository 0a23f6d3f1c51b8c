/** `gyre train` as a user runs it: fit, evaluate, track, log as ONNX, register with lineage to the data. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gyreBin } from '../support/server-process.js';
import { tempDir } from '../../src/test-support/test-databases.js';
import { connect } from '../../src/sdk/gyre.js';
import { streamToBuffer } from '../../src/models/stream-to-buffer.js';

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

  it('gates decide promotion: a challenger that does not beat the champion is registered but the alias stays, with the evidence recorded', async () => {
    const first = JSON.parse(gyre('train', '--data', file, '--target', 'y', '--features', 'x,city', '--register', 'toy-gated', '--alias', 'champion', '--json').stdout);
    expect(first.registered.version).toBe(1);
    // The same data, seed and parameters give the same model: it cannot beat itself by 1 %.
    const same = gyre('train', '--data', file, '--target', 'y', '--features', 'x,city', '--register', 'toy-gated', '--alias', 'champion', '--gate', 'rmse <= champion * 0.99', 'r2 >= 0.9', '--json');
    expect(same.status).toBe(1);
    const out = JSON.parse(same.stdout);
    expect(out.gate.passed).toBe(false);
    expect(out.gate.rules.map((r: { rule: string; passed: boolean }) => [r.rule, r.passed])).toEqual([['rmse <= champion * 0.99', false], ['r2 >= 0.9', true]]);
    expect(out.champion).toMatchObject({ ref: 'toy-gated@champion', version: 1 });
    // The champion was scored through ONNX Runtime on the same rows: its RMSE equals the challenger's.
    expect(Math.abs(out.champion.metrics.rmse - out.metrics.rmse)).toBeLessThan(1e-9);
    expect(out).toMatchObject({ registered: { version: 2 }, promoted: false });
    const model = JSON.parse(gyre('models', 'show', 'toy-gated', '--json').stdout);
    expect(JSON.stringify(model)).toMatch(/"champion"/);
    const v2 = JSON.parse(gyre('models', 'show', 'toy-gated/2', '--json').stdout);
    expect(v2.aliases ?? []).not.toContain('champion');
    expect(v2.tags).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'gyre.gate.passed', value: 'false' })]));
    const sdk = await connect({ home });
    try {
      const files = (await sdk.artifacts.list(out.runId, 'evaluation')).files.map((f) => f.path);
      expect(files.sort()).toEqual(['evaluation/gate.json', 'evaluation/report.html', 'evaluation/report.json']);
      const html = (await streamToBuffer(await sdk.artifacts.download(out.runId, 'evaluation/report.html'))).toString('utf8');
      expect(html).toMatch(/Gate: failed/);
      expect(html).toContain('aria-label="Predicted vs actual"');
      const gateFile = JSON.parse((await streamToBuffer(await sdk.artifacts.download(out.runId, 'evaluation/gate.json'))).toString('utf8'));
      expect(gateFile).toEqual(out.gate);
    } finally {
      await sdk.close();
    }
  });

  it('searches hyperparameters on worker threads, each trial a nested run, and promotes the refit best when the gate passes', () => {
    const r = gyre('train', '--data', file, '--target', 'y', '--features', 'x,city', '--search', 'learningRate=0.05..0.3:log,maxLeafNodes=4|8|16', '--trials', '4', '--threads', '2', '--seed', '3', '--register', 'toy-gated', '--alias', 'champion', '--gate', 'rmse <= champion + 100', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.search).toMatchObject({ trials: 4, metric: 'rmse', stoppedBy: 'trials' });
    expect(out.params.learningRate).toBe(out.search.bestParams.learningRate);
    expect(out).toMatchObject({ promoted: true, registered: { version: 3, aliases: ['champion'] }, gate: { passed: true } });
    const runs = JSON.parse(gyre('runs', 'list', '-e', 'training', '--filter', `tags.mlflow.parentRunId = '${out.runId}'`, '--json').stdout);
    expect(runs).toHaveLength(4);
    expect(runs.map((x: { info: { runName: string } }) => x.info.runName).sort()).toEqual(['trial-0', 'trial-1', 'trial-2', 'trial-3']);
  });

  it('refuses bad gate rules, search spaces and test labels unseen in training, tracking nothing', () => {
    const before = gyre('runs', 'list', '-e', 'training', '--json').stdout;
    const gate = gyre('train', '--data', file, '--target', 'y', '--gate', 'rmse is low');
    expect(gate.status).toBe(1);
    expect(gate.stderr).toMatch(/Gate rule 'rmse is low'/);
    const noChampion = gyre('train', '--data', file, '--target', 'y', '--gate', 'rmse < champion');
    expect(noChampion.stderr).toMatch(/none to compare/);
    const space = gyre('train', '--data', file, '--target', 'y', '--search', 'learningRate=0.5..0.1');
    expect(space.stderr).toMatch(/lo < hi/);
    const testFile = path.join(home, 'test-dots.csv');
    fs.writeFileSync(testFile, ['x,city,y,churn', ...rows.slice(0, 50).map((r) => [...r.slice(0, 3), `${r[3]}.`].join(','))].join('\n') + '\n');
    const labels = gyre('train', '--data', file, '--test', testFile, '--target', 'churn', '--features', 'x,city');
    expect(labels.status).toBe(1);
    expect(labels.stderr).toMatch(/2 class\(es\) the training data never had \('no\.', 'yes\.'\)|2 class\(es\) the training data never had \('yes\.', 'no\.'\)/);
    expect(gyre('runs', 'list', '-e', 'training', '--json').stdout).toBe(before);
  });
});

