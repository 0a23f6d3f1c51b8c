import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { definePipeline, step } from './define-pipeline.js';
import { yamlDefinition } from './yaml-pipeline.js';
import { tempDir } from '../test-support/test-databases.js';

const noop = () => ({});

describe('pipeline definitions are checked when defined, naming the step', () => {
  it('refuses a cycle, naming the steps in it', () => {
    expect(() =>
      definePipeline({
        name: 'p',
        steps: [
          step({ name: 'a', inputs: { x: 'c.out' }, outputs: ['out'], run: noop }),
          step({ name: 'b', inputs: { x: 'a.out' }, outputs: ['out'], run: noop }),
          step({ name: 'c', inputs: { x: 'b.out' }, outputs: ['out'], run: noop }),
        ],
      }),
    ).toThrow(/cycle: (a|b|c) → .* → .*/);
  });

  it('refuses an input from a step or output that does not exist', () => {
    expect(() => definePipeline({ name: 'p', steps: [step({ name: 'a', inputs: { x: 'nope.out' }, run: noop })] })).toThrow(/Step 'a'.*'nope' that does not exist/);
    expect(() =>
      definePipeline({ name: 'p', steps: [step({ name: 'a', outputs: ['m'], run: noop }), step({ name: 'b', inputs: { x: 'a.model' }, run: noop })] }),
    ).toThrow(/Step 'b'.*declares no output 'model'/);
    expect(() => definePipeline({ name: 'p', steps: [step({ name: 'a', after: ['ghost'], run: noop })] })).toThrow(/Step 'a' runs after 'ghost'/);
  });

  it('refuses duplicate step names', () => {
    expect(() => definePipeline({ name: 'p', steps: [step({ name: 'a', run: noop }), step({ name: 'a', run: noop })] })).toThrow(/Two steps are named 'a'/);
  });

  it('refuses params that do not match the declared schema', () => {
    const train = (w: Record<string, unknown>) =>
      definePipeline({ name: 'p', steps: [step({ name: 'train', params: { lr: { type: 'number', min: 0 }, model: { type: 'string', oneOf: ['gbdt', 'linear'], default: 'gbdt' } }, with: w as never, run: noop })] });
    expect(() => train({ lr: 'fast' })).toThrow(/Param 'lr' of step 'train' must be a finite number/);
    expect(() => train({ lr: -1 })).toThrow(/must be at least 0/);
    expect(() => train({})).toThrow(/Step 'train' needs param 'lr'/);
    expect(() => train({ lr: 0.1, depth: 3 })).toThrow(/Step 'train' has no param 'depth'/);
    expect(() => train({ lr: 0.1, model: 'svm' })).toThrow(/must be one of gbdt, linear/);
    expect(train({ lr: 0.1 }).definition.steps[0]!.params).toEqual({ lr: 0.1, model: 'gbdt' });
  });

  it('expands a mapped step into one copy per item and fans their outputs in', () => {
    const p = definePipeline({
      name: 'hpo',
      steps: [
        step({ name: 'trial', map: [0.1, 0.3], outputs: ['score'], run: noop }),
        step({ name: 'best', inputs: { scores: 'trial.score' }, run: noop }),
      ],
    });
    expect(p.definition.steps.map((s) => s.name)).toEqual(['trial@0.1', 'trial@0.3', 'best']);
    expect(p.definition.steps[2]).toMatchObject({ needs: ['trial@0.1', 'trial@0.3'], fanIn: ['scores'] });
  });
});

describe('YAML pipelines', () => {
  const root = () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'params.yaml'), 'train:\n  lr: 0.1\n');
    return dir;
  };

  it('refuses a step whose command does not exist, naming it', () => {
    expect(() => yamlDefinition({ steps: { prep: { cmd: 'definitely-not-a-program --x' } } }, root(), 'p')).toThrow(/Step 'prep': the command 'definitely-not-a-program' does not exist/);
    expect(() => yamlDefinition({ steps: { prep: { cmd: './missing.sh' } } }, root(), 'p')).toThrow(/Step 'prep': the command '.\/missing.sh' does not exist/);
    expect(() => yamlDefinition({ steps: { prep: { cmd: 'echo hi && cp a b' } } }, root(), 'p')).not.toThrow();
  });

  it('reads dvc.yaml stages: deps on other stages’ outs order them, params come from params.yaml', () => {
    const d = yamlDefinition(
      {
        stages: {
          train: { cmd: 'cp data/clean.csv model.txt', deps: ['data/clean.csv'], params: ['train.lr'], outs: ['model.txt'], metrics: [{ 'metrics.json': { cache: false } }] },
          prepare: { cmd: 'mkdir -p data && echo x > data/clean.csv', outs: ['data/clean.csv'] },
        },
      },
      root(),
      'p',
    );
    expect(d.steps.map((s) => s.name)).toEqual(['prepare', 'train']);
    expect(d.steps[1]).toMatchObject({ params: { 'train.lr': 0.1 }, needs: ['prepare'], outputs: ['model.txt', 'metrics.json'] });
    expect(() => yamlDefinition({ stages: { t: { cmd: 'echo', params: ['train.epochs'] } } }, root(), 'p')).toThrow(/Step 't' uses param 'train.epochs', which params.yaml does not define/);
  });

  it('expands foreach/do with ${item}', () => {
    const d = yamlDefinition({ stages: { split: { foreach: ['a', 'b'], do: { cmd: 'echo ${item} > ${item}.txt', outs: ['${item}.txt'] } } } }, root(), 'p');
    expect(d.steps.map((s) => [s.name, s.kind.type === 'shell' ? s.kind.cmd : ''])).toEqual([
      ['split@a', 'echo a > a.txt'],
      ['split@b', 'echo b > b.txt'],
    ]);
  });

  it('refuses unknown fields and cycles between stages', () => {
    expect(() => yamlDefinition({ steps: { a: { cmd: 'echo', dep: ['x'] } } }, root(), 'p')).toThrow(/Step 'a' has an unknown field 'dep'/);
    expect(() => yamlDefinition({ steps: { a: { cmd: 'echo', deps: ['b.txt'], outs: ['a.txt'] }, b: { cmd: 'echo', deps: ['a.txt'], outs: ['b.txt'] } } }, root(), 'p')).toThrow(/cycle/);
  });
});
