import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definePipeline } from './define-pipeline.js';
import { dataAddStep, deployStep, promoteStep, trainStep, validateStep } from './builtin-steps.js';
import { evaluateStep, gateStep, registerStep } from './model-steps.js';
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

const loop = (rules: string[]) =>
  definePipeline({
    name: 'gated-loop',
    steps: [
      dataAddStep({ name: 'data', dataset: 'toy', source: csv }),
      validateStep({ name: 'validate', data: 'data.version', suite: suite('toy').notNull('y').build() }),
      trainStep({ name: 'train', data: 'data.version', after: ['validate'], job: { target: 'y', features: ['x', 'city'], params: { maxIter: 30 } } }),
      evaluateStep({ name: 'evaluate', run: 'train.runId', data: 'data.version', job: { target: 'y', champion: 'toy-model@champion' } }),
      gateStep({ name: 'gate', evaluation: 'evaluate.evaluation', rules }),
      registerStep({ name: 'register', run: 'train.runId', gate: 'gate.decision', model: 'toy-model', when: 'gate.passed' }),
      promoteStep({ name: 'promote', version: 'register.registered', alias: 'champion' }),
      deployStep({ name: 'deploy', after: ['promote'], deployment: 'toy', model: 'toy-model@champion' }),
    ],
  });

describe('evaluate → gate → register steps', () => {
  it('registers and promotes a model that passes; a second run on unchanged data reuses training, re-evaluates against the new champion and does not re-register it', async () => {
    const rules = ['rmse <= 5', 'rmse <= champion * 0.99'];
    const first = await f.pipelines.run(loop(rules));
    expect(first.error).toBeNull();
    expect(statuses(first)).toEqual({ data: 'succeeded', validate: 'succeeded', train: 'succeeded', evaluate: 'succeeded', gate: 'succeeded', register: 'succeeded', promote: 'succeeded', deploy: 'succeeded' });
    const v1 = await f.services.registry.resolve('toy-model@champion');
    expect(v1.version).toBe(1);
    expect(v1.tags).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'gyre.gate.passed', value: 'true' })]));

    const second = await f.pipelines.run(loop(rules));
    const s = statuses(second);
    expect(s).toMatchObject({ validate: 'cached', train: 'cached', evaluate: 'succeeded', gate: 'succeeded', register: 'skipped', promote: 'skipped' });
    // The same model cannot beat itself by 1 %: nothing new is registered, the champion stays.
    const versions = await f.services.registry.searchVersions({ filter: "name = 'toy-model'" });
    expect(versions.items).toHaveLength(1);
    expect((await f.services.registry.resolve('toy-model@champion')).version).toBe(1);
  }, 120_000);

  it('a failed threshold keeps the model out of the registry; the decision is recorded on the training run', async () => {
    const r = await f.pipelines.run(loop(['rmse <= 0.0001']));
    expect(statuses(r)).toMatchObject({ gate: 'succeeded', register: 'skipped', promote: 'skipped' });
    await expect(f.services.registry.resolve('toy-model@champion')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const experiment = await f.services.tracking.getExperimentByName('training');
    const gated = await f.services.tracking.searchRuns({ experimentIds: [experiment.experimentId], filter: `tags."gyre.gate.passed" = 'false'` });
    expect(gated.items).toHaveLength(1);
    expect(gated.items[0]!.data.tags).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'gyre.gate.summary', value: expect.stringMatching(/Failed 1 of 1 rule\(s\).*rmse <= 0.0001/) })]));
  }, 120_000);

  it('refuses malformed gate rules when the pipeline is defined', () => {
    expect(() => gateStep({ name: 'gate', evaluation: 'evaluate.evaluation', rules: ['rmse is low'] })).toThrow(/Gate rule 'rmse is low'/);
  });
});
