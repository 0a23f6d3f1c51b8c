import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { definePipeline } from './define-pipeline.js';
import { dataAddStep, deployStep, promoteStep, trainStep, validateStep } from './builtin-steps.js';
import { suite } from '../data/suite-builder.js';
import { pipelineFixture, statuses, writeToyCsv } from './test-support/pipeline-fixture.js';
import type { PipelineFixture } from './test-support/pipeline-fixture.js';

let f: PipelineFixture;
let csv: string;
beforeEach(async () => {
  f = await pipelineFixture();
  csv = writeToyCsv(f.home);
});
afterEach(() => f.close());

const loop = (file: string) =>
  definePipeline({
    name: 'loop',
    steps: [
      dataAddStep({ name: 'data', dataset: 'toy', source: file }),
      validateStep({ name: 'validate', data: 'data.version', suite: suite('toy').notNull('y').build() }),
      trainStep({ name: 'train', data: 'data.version', after: ['validate'], job: { target: 'y', features: ['x', 'city'], register: 'toy-model', params: { maxIter: 20 } } }),
      promoteStep({ name: 'promote', version: 'train.registered', alias: 'champion' }),
      deployStep({ name: 'deploy', after: ['promote'], deployment: 'toy', model: 'toy-model@champion' }),
    ],
  });

describe('built-in steps: data → validate → train/register → promote → deploy', () => {
  it('runs the loop over the real services, and a second run on unchanged data skips validation, training and promotion', async () => {
    const first = await f.pipelines.run(loop(csv));
    expect(first.error).toBeNull();
    expect(statuses(first)).toEqual({ data: 'succeeded', validate: 'succeeded', train: 'succeeded', promote: 'succeeded', deploy: 'succeeded' });
    expect((await f.services.registry.resolve('toy-model@champion')).version).toBe(1);
    expect((await f.services.serving.deployments.get('toy')).spec.variants[0]!.model).toBe('toy-model@champion');

    const second = await f.pipelines.run(loop(csv));
    expect(statuses(second)).toEqual({ data: 'succeeded', validate: 'cached', train: 'cached', promote: 'cached', deploy: 'succeeded' });
    expect(await f.services.registry.resolve('toy-model@champion').then((v) => v.version)).toBe(1);
  }, 60_000);

  it('stops at validation when the data breaks the suite: nothing is trained or deployed', async () => {
    const bad = path.join(f.home, 'bad.csv');
    fs.writeFileSync(bad, 'x,city,y\n1,a,\n2,b,5\n');
    const r = await f.pipelines.run(loop(bad));
    expect(statuses(r)).toEqual({ data: 'succeeded', validate: 'failed', train: 'skipped', promote: 'skipped', deploy: 'skipped' });
    expect(r.error).toMatch(/failed validation: 1 expectation\(s\) failed/);
    await expect(f.services.serving.deployments.get('toy')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
