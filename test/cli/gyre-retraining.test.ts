/** `gyre retraining` as a user runs it: a policy from YAML, shown, run by hand, its decisions listed. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gyreBin } from '../support/server-process.js';
import { tempDir } from '../../src/test-support/test-databases.js';

const home = tempDir('gyre-cli-retraining-');
const gyre = (...args: string[]) => spawnSync(process.execPath, [gyreBin, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, GYRE_URL: '', GYRE_USER: 'alice' } });

const file = path.join(home, 'history.csv');
fs.writeFileSync(file, ['day,x,y', ...Array.from({ length: 300 }, (_, i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')},${i % 10},${3 * (i % 10)}`)].join('\n') + '\n');
const policy = path.join(home, 'policy.yaml');

describe('gyre retraining', () => {
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('sets a policy from YAML, shows it, retrains by hand and lists the decision with its reason', () => {
    expect(gyre('data', 'add', file, '--name', 'hist').status).toBe(0);
    expect(gyre('train', '--data', 'hist@1', '--target', 'y', '--features', 'x', '--register', 'm', '--alias', 'champion').status).toBe(0);
    expect(gyre('deploy', 'create', 'm-live', '--model', 'm@champion').status).toBe(0);
    fs.writeFileSync(policy, ['model: m', 'target: y', 'data:', '  dataset: hist@1', '  timeColumn: day', '  windowDays: 30', 'evaluationDays: 3', 'triggers:', '  everyDays: 7', ''].join('\n'));
    const set = gyre('retraining', 'set', 'm-live', '--file', policy);
    expect(set.status).toBe(0);
    expect(set.stdout).toMatch(/retraining policy of m-live set: gbdt on the last 30 days/);
    expect(JSON.parse(gyre('retraining', 'show', 'm-live', '--json').stdout)).toMatchObject({ deployment: 'm-live', model: 'm', alias: 'champion', evaluationDays: 3, rollout: 'promote' });
    // The history is from 2024: today's 30-day window holds no labelled rows, so the retraining is skipped, with the reason.
    const run = gyre('retraining', 'run', 'm-live', '--json');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'skipped', trigger: 'manual:alice', reason: expect.stringMatching(/Not enough labelled data: 0 training rows/) });
    const history = JSON.parse(gyre('retraining', 'history', 'm-live', '--json').stdout);
    expect(history).toHaveLength(1);
    expect(gyre('retraining', 'history', 'm-live').stdout).toMatch(/manual:alice\s+skipped/);
  });

  it('refuses a policy with a bad field or for an unknown deployment, storing nothing', () => {
    fs.writeFileSync(policy, ['model: m', 'target: y', 'data:', '  windowDays: 0', 'triggers:', '  everyDays: 7', ''].join('\n'));
    const bad = gyre('retraining', 'set', 'm-live', '--file', policy);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/data.windowDays must be a number in \[1, 3650\]/);
    expect(JSON.parse(gyre('retraining', 'show', 'm-live', '--json').stdout).data.windowDays).toBe(30);
    fs.writeFileSync(policy, ['model: m', 'target: y', 'data:', '  windowDays: 10', 'triggers:', '  everyDays: 7', ''].join('\n'));
    const unknown = gyre('retraining', 'set', 'nope', '--file', policy);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/Deployment 'nope' does not exist/);
    expect(gyre('retraining', 'show', 'nope').stderr).toMatch(/no retraining policy/);
    expect(gyre('retraining', 'set', 'm-live', '--file', path.join(home, 'missing.yaml')).stderr).toMatch(/Cannot read policy file/);
  });
});
