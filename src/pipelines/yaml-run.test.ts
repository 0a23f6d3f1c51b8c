import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { yamlDefinition } from './yaml-pipeline.js';
import { pipelineFixture, statuses } from './test-support/pipeline-fixture.js';
import type { PipelineFixture } from './test-support/pipeline-fixture.js';

let f: PipelineFixture;
let root: string;
beforeEach(async () => {
  f = await pipelineFixture();
  root = path.join(f.home, 'project');
  fs.mkdirSync(root);
});
afterEach(() => f.close());

const gated = (threshold: number) =>
  yamlDefinition(
    {
      name: 'gated',
      steps: {
        score: { cmd: 'echo 0.9 > score.txt', outs: ['score.txt'] },
        check: { cmd: `awk '{ exit !($1 > ${threshold}) }' score.txt`, deps: ['score.txt'], gate: true },
        publish: { cmd: 'cp score.txt published.txt', deps: ['score.txt'], outs: ['published.txt'], when: 'check' },
      },
    },
    root,
    'p',
  );

describe('YAML steps in process', () => {
  it('a gate command exiting 1 closes the gate: the conditional step is skipped and the run succeeds', async () => {
    const closed = await f.pipelines.run(gated(0.95));
    expect(closed.status).toBe('succeeded');
    expect(statuses(closed)).toEqual({ score: 'succeeded', check: 'succeeded', publish: 'skipped' });
    const open = await f.pipelines.run(gated(0.5));
    expect(statuses(open)).toEqual({ score: 'cached', check: 'succeeded', publish: 'succeeded' });
    expect(fs.readFileSync(path.join(root, 'published.txt'), 'utf8')).toBe('0.9\n');
  });

  it('stops a command that runs past its timeout, with its whole process group', async () => {
    const r = await f.pipelines.run(yamlDefinition({ name: 'slow', steps: { wait: { cmd: 'sleep 30', timeout: '200ms' } } }, root, 'p'));
    expect(statuses(r)).toEqual({ wait: 'failed' });
    expect(r.steps[0]!.error).toMatch(/ran longer than its timeout of 200 ms/);
  });

  it('fails a step whose declared out the command did not write, saying which', async () => {
    const r = await f.pipelines.run(yamlDefinition({ name: 'lazy', steps: { a: { cmd: 'true', outs: ['model.bin'] } } }, root, 'p'));
    expect(r.steps[0]!.error).toMatch(/did not create its declared out 'model.bin'/);
  });
});
