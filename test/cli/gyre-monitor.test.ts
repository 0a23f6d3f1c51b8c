/** `gyre monitor drift` as a user runs it: files and dataset versions, verdicts and exit codes. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gyreBin } from '../support/server-process.js';
import { tempDir } from '../../src/test-support/test-databases.js';

const home = tempDir('gyre-cli-monitor-');
const gyre = (...args: string[]) => spawnSync(process.execPath, [gyreBin, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, GYRE_URL: '' } });
const csv = (name: string, rows: (string | number)[][]) => {
  const p = path.join(home, name);
  fs.writeFileSync(p, ['temp,city,rainy', ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return p;
};
const rows = (n: number, shift: number, cities: string[]) => Array.from({ length: n }, (_, i) => [((i * 37) % 100) / 10 + shift, cities[i % cities.length]!, i % 3 === 0 ? 'yes' : 'no']);

describe('gyre monitor drift', () => {
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('reports no drift between samples of one distribution (exit 0), with the default test per column', () => {
    const ref = csv('ref.csv', rows(400, 0, ['a', 'b', 'c']));
    const cur = csv('cur.csv', rows(300, 0, ['a', 'b', 'c']));
    const r = gyre('monitor', 'drift', '--reference', ref, '--current', cur, '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.drifted).toBe(false);
    expect(report.columns.map((c: { column: string; method: string }) => [c.column, c.method])).toEqual([
      ['temp', 'ks'],
      ['city', 'chisquare'],
      ['rainy', 'z'],
    ]);
  });

  it('flags a shifted feature and a new category against a registered version (exit 1), naming the columns', () => {
    const ref = csv('ref2.csv', rows(400, 0, ['a', 'b', 'c']));
    expect(gyre('data', 'add', ref, '--name', 'weather').status).toBe(0);
    const cur = csv('cur2.csv', rows(300, 4, ['a', 'b', 'c', 'd']));
    const r = gyre('monitor', 'drift', '--reference', 'weather@1', '--current', cur);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/temp\s+ks\s+\S+\s+p < 0.05\s+DRIFT/);
    expect(r.stdout).toMatch(/city\s+chisquare\s+\S+\s+p < 0.05\s+DRIFT/);
    expect(r.stdout).toMatch(/DATASET DRIFT: 67% of 3 columns/);
  });

  it('takes per-column tests and refuses unknown ones', () => {
    const ref = csv('ref3.csv', rows(400, 0, ['a', 'b']));
    const cur = csv('cur3.csv', rows(300, 0, ['a', 'b']));
    const r = gyre('monitor', 'drift', '--reference', ref, '--current', cur, '--test', 'temp=psi:0.2', '--json');
    expect(JSON.parse(r.stdout).columns[0]).toMatchObject({ column: 'temp', method: 'psi', threshold: 0.2 });
    const bad = gyre('monitor', 'drift', '--reference', ref, '--current', cur, '--test', 'temp=magic');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Unknown drift method 'magic'/);
  });
});
