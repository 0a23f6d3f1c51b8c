import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definePipeline, step } from './define-pipeline.js';
import { pipelineFixture, statuses } from './test-support/pipeline-fixture.js';
import type { PipelineFixture } from './test-support/pipeline-fixture.js';

let f: PipelineFixture;
beforeEach(async () => (f = await pipelineFixture()));
afterEach(() => f.close());

const calls: string[] = [];
const trainPipeline = (lr = 0.1, failTrain = false) =>
  definePipeline({
    name: 'bikes',
    steps: [
      step({ name: 'load', outputs: ['rows'], run: () => (calls.push('load'), { rows: [1, 2, 3] }) }),
      step({
        name: 'train',
        inputs: { rows: 'load.rows' },
        outputs: ['model'],
        params: { lr: { type: 'number' } },
        with: { lr },
        run: ({ inputs, params, log }) => {
          calls.push('train');
          log('training on', inputs.rows.length, 'rows');
          if (failTrain) throw new Error('diverged: loss is NaN');
          return { model: { weights: inputs.rows.map((r: number) => r * params.lr) } };
        },
      }),
      step({ name: 'report', inputs: { model: 'train.model' }, outputs: ['text'], run: ({ inputs }) => (calls.push('report'), { text: JSON.stringify(inputs.model) }) }),
    ],
  });

describe('running a pipeline in process', () => {
  it('runs every step, passes outputs on, and records a parent tracking run with one nested run per step', async () => {
    calls.length = 0;
    const r = await f.pipelines.run(trainPipeline());
    expect(r.status).toBe('succeeded');
    expect(statuses(r)).toEqual({ load: 'succeeded', train: 'succeeded', report: 'succeeded' });
    const parent = await f.services.tracking.getRun(r.trackingRunId);
    expect(parent.info.status).toBe('FINISHED');
    const children = await f.services.tracking.searchRuns({ experimentIds: [parent.info.experimentId], filter: `tags.mlflow.parentRunId = '${r.trackingRunId}'` });
    expect(children.items.map((c) => c.info.runName).sort()).toEqual(['load', 'report', 'train']);
    expect(children.items.every((c) => c.info.status === 'FINISHED')).toBe(true);
    const train = r.steps.find((s) => s.step === 'train')!;
    expect((await f.services.tracking.getRun(train.trackingRunId!)).data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(await f.pipelines.logs(r.runId, 'train')).toContain('training on 3 rows');
    // Lineage: the model output, and the digest of the input it was made from.
    expect(train.outputs).toMatchObject([{ name: 'model', kind: 'value' }]);
    expect(train.inputDigests.rows).toEqual([r.steps[0]!.outputs[0]!.digest]);
  });

  it('skips unchanged steps on a second run (cached, outputs reused), reruns what a param change touches, and --force reruns all', async () => {
    await f.pipelines.run(trainPipeline());
    calls.length = 0;
    const again = await f.pipelines.run(trainPipeline());
    expect(statuses(again)).toEqual({ load: 'cached', train: 'cached', report: 'cached' });
    expect(calls).toEqual([]);
    expect(again.steps[1]!.cachedFromRunId).toBeTruthy();
    expect(await f.pipelines.logs(again.runId, 'train')).toContain('training on 3 rows');

    const changed = await f.pipelines.run(trainPipeline(0.2));
    expect(statuses(changed)).toEqual({ load: 'cached', train: 'succeeded', report: 'succeeded' });

    calls.length = 0;
    const forced = await f.pipelines.run(trainPipeline(0.2), { force: true });
    expect(statuses(forced)).toEqual({ load: 'succeeded', train: 'succeeded', report: 'succeeded' });
    expect(calls).toEqual(['load', 'train', 'report']);
  });

  it('a failing step fails the run with its error and log, its dependents are skipped, and a rerun resumes from cache', async () => {
    const failed = await f.pipelines.run(trainPipeline(0.1, true));
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain("step 'train' failed: diverged: loss is NaN");
    expect(statuses(failed)).toEqual({ load: 'succeeded', train: 'failed', report: 'skipped' });
    expect(failed.steps[2]!.error).toBe("upstream step 'train' failed");
    expect(await f.pipelines.logs(failed.runId, 'train')).toContain('diverged: loss is NaN');
    expect((await f.services.tracking.getRun(failed.trackingRunId)).info.status).toBe('FAILED');
    // The failed step's own tracking run keeps its params, as an MLflow run that failed does.
    const failedTrain = await f.services.tracking.getRun(failed.steps[1]!.trackingRunId!);
    expect([failedTrain.info.status, failedTrain.data.params]).toEqual(['FAILED', [{ key: 'lr', value: '0.1' }]]);

    calls.length = 0;
    const fixed = await f.pipelines.run(trainPipeline(0.1, false));
    expect(statuses(fixed)).toEqual({ load: 'cached', train: 'succeeded', report: 'succeeded' });
    expect(calls).toEqual(['train', 'report']);
  });

  it('lists and shows runs; a step that returns an undeclared output fails naming it', async () => {
    const r = await f.pipelines.run(definePipeline({ name: 'bad', steps: [step({ name: 'a', outputs: ['x'], run: () => ({ x: 1, y: 2 }) as never })] }));
    expect(r.steps[0]!.error).toMatch(/Step 'a' returned 'y', which is not among its declared outputs/);
    expect((await f.pipelines.list({ pipeline: 'bad' })).map((x) => x.runId)).toEqual([r.runId]);
    expect((await f.pipelines.show(r.runId)).run.status).toBe('failed');
  });
});
