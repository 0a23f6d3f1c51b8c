/** `gyre data ...` as a user runs it: add, show, infer-suite, validate with its exit code and reports. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gyreBin } from '../support/server-process.js';
import { tempDir } from '../../src/test-support/test-databases.js';

const home = tempDir('gyre-cli-data-');
const gyre = (...args: string[]) => spawnSync(process.execPath, [gyreBin, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, GYRE_URL: '' } });
const file = (name: string, content: string) => {
  const p = path.join(home, name);
  fs.writeFileSync(p, content);
  return p;
};

describe('gyre data', () => {
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('adds, infers a suite, and validates with exit code 0 on success and 1 on failure', () => {
    const good = file('good.csv', 'id, plan\n1, free\n2, ?\n3, pro\n');
    const added = gyre('data', 'add', good, '--name', 'users', '--trim', '--null', '?', '--json');
    expect(added.status).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ created: true, version: { name: 'users', version: 1, rowCount: 3 } });
    expect(gyre('data', 'add', good, '--name', 'users', '--trim', '--null', '?').stdout).toContain('unchanged: same content as users@1');

    const suiteFile = path.join(home, 'suite.yaml');
    expect(gyre('data', 'infer-suite', '--from', 'users@latest', '--out', suiteFile).status).toBe(0);
    expect(fs.readFileSync(suiteFile, 'utf8')).toContain('expect_column_values_to_be_in_set');
    const ok = gyre('data', 'validate', 'users@1', '--suite', suiteFile);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('PASSED');

    gyre('data', 'add', file('bad.csv', 'id, plan\n1, free\n2, gold\n3, pro\n'), '--name', 'users', '--trim', '--null', '?');
    const html = path.join(home, 'report.html');
    const bad = gyre('data', 'validate', 'users@2', '--suite', suiteFile, '--html', html);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/FAIL\s+#\d+ expect_column_values_to_be_in_set\(plan\)\s+1 unexpected \(33.3%\): "gold"×1/);
    expect(bad.stdout).toContain(`HTML report: ${html}`);
    expect(fs.readFileSync(html, 'utf8')).toContain('<!doctype html>');
    const json = JSON.parse(gyre('data', 'validate', 'users@2', '--suite', suiteFile, '--json').stdout);
    expect(json.success).toBe(false);

    const diff = gyre('data', 'diff', 'users@1', 'users@2');
    expect(diff.stdout).toMatch(/plan .*gold/);
    expect(gyre('data', 'show', 'users@1').stdout).toContain('users@1  sha256:');
    expect(gyre('data', 'list').stdout).toMatch(/users\s+2\s+@2/);
  });

  it('reports bad input on stderr with exit code 1', () => {
    const res = gyre('data', 'add', file('broken.csv', 'a,b\n1,2\n3\n'), '--name', 'broken');
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/error \(INVALID_ARGUMENT\): .*broken\.csv, line 3: expected 2 fields, found 1/);
    const suite = file('bad-suite.json', '{"expectations":[{"type":"expect_column_values_to_be_between","column":"id"}]}');
    const v = gyre('data', 'validate', 'users@1', '--suite', suite);
    expect(v.status).toBe(1);
    expect(v.stderr).toContain("bad-suite.json: expectation #1 (expect_column_values_to_be_between): needs 'min', 'max' or both");
  });
});
