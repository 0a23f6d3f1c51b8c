/**
 * A retraining policy whose challenger comes from the user's own pipeline: the window is written as
 * CSV where the pipeline reads it, a shell stage trains and registers with the gyre CLI, and the
 * trainer judges the registered version against the champion on the newest labelled days.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../services.js';
import type { Services } from '../services.js';
import { resolveConfig } from '../core/config.js';
import { gyreOver } from '../sdk/gyre.js';
import type { Gyre } from '../sdk/gyre.js';
import { tempDir } from '../test-support/test-databases.js';
import { ContinuousTrainer } from './continuous-trainer.js';
import { parseRetrainingPolicy } from './policy-validation.js';
import { pipelineFileRunner } from '../pipelines/pipeline-file-runner.js';
import { frameToCsv } from './pipeline-challenger.js';
import { createFrame } from '../training/dataset/frame.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1);
const GYRE_BIN = fileURLToPath(new URL('../../bin/gyre.js', import.meta.url));
const xAt = (h: number) => (h * 37) % 50;
/** The relation shifts on day 20. */
const yAt = (h: number) => 3 * xAt(h) + (h >= 20 * 24 ? 40 : 0);

describe('retraining with the policy’s own pipeline', () => {
  const home = tempDir('gyre-ct-pipeline-');
  const project = path.join(home, 'retrain');
  let services: Services;
  let gyre: Gyre;
  let now = T0 + 40 * DAY;
  let trainer: ContinuousTrainer;
  const policy = (file: string) => ({
    deployment: 'demand',
    model: 'demand',
    target: 'y',
    trainer: { model: 'gbdt', pipeline: { file, trainData: path.join(project, 'data', 'train.csv'), evaluationData: path.join(project, 'data', 'eval.csv') } },
    data: { dataset: 'history@1', timeColumn: 'day', hourColumn: 'hour', windowDays: 15, includeInferenceLog: false },
    evaluationDays: 2,
    triggers: { everyDays: 7 },
    guardRails: { coolDownHours: 0, maxPerWeek: 100 },
  });

  beforeAll(async () => {
    const config = resolveConfig({ home, remoteUrl: null });
    services = await openServices(config);
    gyre = gyreOver(services, config);
    const line = (h: number) => `${new Date(T0 + h * HOUR).toISOString().slice(0, 10)},${h % 24},${xAt(h)},${yAt(h)}`;
    fs.writeFileSync(path.join(home, 'history.csv'), ['day,hour,x,y', ...Array.from({ length: 40 * 24 }, (_, h) => line(h))].join('\n') + '\n');
    fs.writeFileSync(path.join(home, 'before-shift.csv'), ['day,hour,x,y', ...Array.from({ length: 20 * 24 }, (_, h) => line(h))].join('\n') + '\n');
    await gyre.data.add({ name: 'history', source: path.join(home, 'history.csv'), createdBy: 'test' });
    await gyre.train({ data: path.join(home, 'before-shift.csv'), target: 'y', features: ['x'], params: { maxIter: 40 }, register: 'demand', alias: 'champion', user: 'test' });
    fs.mkdirSync(path.join(project, 'data'), { recursive: true });
    fs.writeFileSync(
      path.join(project, 'gyre.yaml'),
      ['name: retrain', 'steps:', '  train:', `    cmd: ${process.execPath} ${GYRE_BIN} --home ${home} train --data data/train.csv --target y --features x --params maxIter=40 --register demand`, '    deps: [data/train.csv]', ''].join('\n'),
    );
    fs.writeFileSync(path.join(project, 'noop.yaml'), ['name: noop', 'steps:', '  nothing:', `    cmd: ${process.execPath} -e "0"`, '    deps: [data/train.csv]', ''].join('\n'));
    trainer = new ContinuousTrainer({ gyre, inferenceLog: services.serving.inferenceLog, store: services.retraining, clock: () => now, runPipeline: pipelineFileRunner(services) });
  }, 120_000);

  afterAll(async () => {
    await services.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('writes the window for the pipeline, takes the version it registered as the challenger, gates it on the newest days and promotes it', async () => {
    await services.retraining.putPolicy(parseRetrainingPolicy(policy(path.join(project, 'gyre.yaml'))), now);
    const e = await trainer.retrain('demand', 'manual:test');
    expect(e.reason).toMatch(/Version 2 beat version 1 on the last 2 days/);
    expect(e).toMatchObject({ outcome: 'promoted', version: 2, championVersion: 1 });
    // The window the pipeline read: 13 training days before the 2 evaluation days.
    const train = fs.readFileSync(path.join(project, 'data', 'train.csv'), 'utf8').trim().split('\n');
    expect(train[0]).toBe('x,y');
    expect(train).toHaveLength(1 + 13 * 24);
    expect(fs.readFileSync(path.join(project, 'data', 'eval.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 24);
    expect((await gyre.registry.resolve('demand@champion')).version).toBe(2);
    const v2 = await gyre.registry.getVersion('demand', 2);
    expect(v2.tags).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'gyre.gate.passed', value: 'true' })]));
  }, 120_000);

  it('a pipeline that registers nothing fails the retraining with the fix named, and changes nothing', async () => {
    now += DAY;
    await services.retraining.putPolicy(parseRetrainingPolicy(policy(path.join(project, 'noop.yaml'))), now);
    const e = await trainer.retrain('demand', 'manual:test');
    expect(e.outcome).toBe('failed');
    expect(e.reason).toMatch(/registered no new version of 'demand'.*must register the model it trained/);
    expect((await gyre.registry.resolve('demand@champion')).version).toBe(2);
  }, 120_000);

  it('refuses a policy whose pipeline file does not exist', () => {
    expect(() => parseRetrainingPolicy(policy(path.join(project, 'missing.yaml')))).toThrow(/trainer.pipeline.file must be an existing pipeline file/);
  });

  it('writes CSV that round-trips text with commas and quotes, and missing values as empty', () => {
    const frame = createFrame([
      { kind: 'numeric', name: 'x', values: Float64Array.from([1.5, Number.NaN]) },
      { kind: 'categorical', name: 'c', codes: Int32Array.from([0, -1]), categories: ['a, "b"'] },
    ]);
    expect(frameToCsv(frame)).toBe('x,c\n1.5,"a, ""b"""\n,\n');
  });
});
