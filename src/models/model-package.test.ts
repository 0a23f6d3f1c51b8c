import { describe, expect, it } from 'vitest';
import { buildModelPackage, loadModelPackage, packageDigest, storeModelPackage } from './model-package.js';
import { readOnnxGraph } from './onnx-graph.js';
import { recordsToFeeds } from './records-to-tensors.js';
import { linear3, mixed, zipmapClassifier } from './test-models.js';
import { linearModel } from '../test-support/tiny-onnx.js';

const linearModelBytesOtherWeights = () => linearModel([9, 9, 9], 0);
import { buildOnnxModel } from './onnx-builder.js';
import { LocalArtifactStore } from '../artifacts/local-artifact-store.js';
import { tempDir } from '../test-support/test-databases.js';
import { expectInvalidArgument, rejection } from '../test-support/expect-invalid-argument.js';
import { OnnxModel } from '../serving/onnx-model.js';

describe('reading ONNX graphs', () => {
  it('reads inputs, outputs, opsets and producer, and marks sequence outputs (ZipMap)', () => {
    const g = readOnnxGraph(zipmapClassifier());
    expect(g.inputs).toEqual([{ name: 'X', datatype: 'FP32', shape: [-1, 2], kind: 'tensor' }]);
    expect(g.outputs.map((o) => [o.name, o.datatype, o.kind])).toEqual([
      ['label', 'INT64', 'tensor'],
      ['probabilities', 'FP32', 'tensor'],
      ['output_probability', null, 'sequence'],
    ]);
    expect(g.opsets).toMatchObject({ 'ai.onnx': 17, 'ai.onnx.ml': 3 });
    expect(g.producer).toBe('skl2onnx-like');
  });

  it('refuses bytes that are not ONNX', () => {
    expect(rejection(() => readOnnxGraph(new TextEncoder().encode('just text'))).message).toMatch(/not an ONNX model/);
  });
});

describe('model packages', () => {
  it('wraps a bare [N,3] model: features read off the graph (or named), the example runs, the digest is stable', async () => {
    const a = await buildModelPackage(linear3(), { name: 'lin' });
    expect(a.manifest.inputs.map((f) => [f.name, f.type, f.tensor, f.column])).toEqual([
      ['x_0', 'number', 'x', 0],
      ['x_1', 'number', 'x', 1],
      ['x_2', 'number', 'x', 2],
    ]);
    expect(a.manifest.outputs).toEqual([{ name: 'y', datatype: 'FP32', shape: [-1, 1] }]);
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(packageDigest(a.onnx, a.manifest)).toBe(a.digest);
    const named = await buildModelPackage(linear3(), { name: 'lin', featureNames: ['temp', 'hum', 'wind'] });
    expect(named.manifest.inputs.map((f) => f.name)).toEqual(['temp', 'hum', 'wind']);
    expect(named.digest).not.toBe(a.digest);
  });

  it('checks a given manifest against the graph, naming what disagrees', async () => {
    const manifest = {
      task: 'regression',
      inputs: [
        { name: 'city', type: 'string', tensor: 'city', categories: ['Berlin', 'Paris', 'Rome'], unknownCategory: 'error' },
        { name: 'temp', type: 'number', tensor: 'temp' },
      ],
      inputExample: [{ city: 'Paris', temp: 21.5 }],
      metrics: { rmse: 1.5 },
    };
    const ok = await buildModelPackage(mixed(), { name: 'm', manifest });
    expect(ok.manifest).toMatchObject({ task: 'regression', metrics: { rmse: 1.5 }, outputs: [{ name: 'y' }] });
    await expectInvalidArgument(buildModelPackage(mixed(), { name: 'm', manifest: { ...manifest, inputs: [{ name: 'city', type: 'string', tensor: 'town' }, manifest.inputs[1]] } }), /feeds tensor 'town', but the graph's inputs are 'city', 'temp'/);
    await expectInvalidArgument(buildModelPackage(mixed(), { name: 'm', manifest: { ...manifest, inputs: [{ name: 'city', type: 'number', tensor: 'city' }, manifest.inputs[1]] } }), /says number, but tensor 'city' is BYTES/);
    await expectInvalidArgument(buildModelPackage(mixed(), { name: 'm', manifest: { ...manifest, inputs: [manifest.inputs[0]] } }), /input 'temp' takes 1 feature\(s\) but the manifest fills 0/);
    await expectInvalidArgument(buildModelPackage(mixed(), { name: 'm', manifest: { ...manifest, inputs: 'city' } }), /Manifest field 'inputs'/);
    await expectInvalidArgument(buildModelPackage(mixed(), { name: 'm', manifest: { ...manifest, inputExample: [{ city: 'Paris' }] } }), /feature 'temp' is missing/);
  });

  it('serves skl2onnx-style classifiers: the ZipMap output is left out, its tensor siblings kept', async () => {
    const pkg = await buildModelPackage(zipmapClassifier(), { name: 'clf', task: 'classification' });
    expect(pkg.manifest.outputs.map((o) => o.name)).toEqual(['label', 'probabilities']);
    const model = await OnnxModel.load(pkg.onnx);
    const out = await model.run(recordsToFeeds([{ X_0: 3, X_1: 0 }, { X_0: 0, X_1: 3 }], pkg.manifest, pkg.graph.inputs), ['label', 'probabilities']);
    expect(Array.from(out.label!.data as BigInt64Array, Number)).toEqual([0, 1]);
  });

  it('refuses a file ONNX Runtime cannot load, with the runtime\'s reason', async () => {
    const broken = buildOnnxModel({ name: 'bad', nodes: [{ op: 'NoSuchOperator', inputs: ['x'], outputs: ['y'] }], inputs: [{ name: 'x', elemType: 1, shape: ['N', 1] }], outputs: [{ name: 'y', elemType: 1, shape: ['N', 1] }] });
    await expect(buildModelPackage(broken, { name: 'bad' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/ONNX Runtime cannot load this model: .*NoSuchOperator/) });
    await expectInvalidArgument(buildModelPackage(new TextEncoder().encode('not onnx'), { name: 'x' }), /not an ONNX model/);
  });

  it('stores packages once by digest and reads them back whole', async () => {
    const store = new LocalArtifactStore(tempDir());
    const pkg = await buildModelPackage(linear3(), { name: 'lin' });
    const dir = await storeModelPackage(store, pkg);
    expect(dir).toBe(`model-packages/${pkg.digest.slice(7)}`);
    await storeModelPackage(store, pkg);
    const back = await loadModelPackage(store, pkg.digest);
    expect(Buffer.from(back.onnx).equals(Buffer.from(pkg.onnx))).toBe(true);
    expect(back.manifest).toEqual(pkg.manifest);
    await expectInvalidArgument(loadModelPackage(store, 'sha256:xyz'), /not a package digest/);
    // A package whose bytes changed on disk is refused rather than served.
    await store.put(`${dir}/model.onnx`, linearModelBytesOtherWeights());
    await expect(loadModelPackage(store, pkg.digest)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/is corrupt/) });
  });

  it('checks records, naming the record and the field', async () => {
    const pkg = await buildModelPackage(mixed(), {
      name: 'm',
      manifest: { inputs: [{ name: 'city', type: 'string', tensor: 'city', categories: ['Berlin', 'Paris', 'Rome'], unknownCategory: 'error' }, { name: 'temp', type: 'number', tensor: 'temp' }], inputExample: [{ city: 'Rome', temp: 1 }] },
    });
    const feeds = (records: unknown) => () => recordsToFeeds(records, pkg.manifest, pkg.graph.inputs);
    expect(rejection(feeds([{ city: 'Rome' }])).message).toMatch(/records\[0\]: feature 'temp' is missing/);
    expect(rejection(feeds([{ city: 'Rome', temp: 1 }, { city: 'Oslo', temp: 2 }])).message).toMatch(/records\[1\]: feature 'city' has category "Oslo", unseen in training/);
    expect(rejection(feeds([{ city: 3, temp: 1 }])).message).toMatch(/feature 'city' must be a string, got 3/);
    expect(rejection(feeds([])).message).toMatch(/non-empty list/);
  });
});
