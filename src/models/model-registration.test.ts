/**
 * Registering a model end to end over a real server: package checked in ONNX Runtime, lineage
 * back to the run, its data and code, a model card — through the SDK in remote mode, so the REST
 * path is the one exercised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test-support/test-server.js';
import type { TestServer } from '../test-support/test-server.js';
import { connect } from '../sdk/gyre.js';
import type { Gyre } from '../sdk/gyre.js';
import { linear3, mixed } from './test-models.js';

describe('model registration (SDK over HTTP)', () => {
  let server: TestServer;
  let gyre: Gyre;
  let runId: string;
  const alice = { user: 'alice' };

  beforeAll(async () => {
    server = await startTestServer();
    gyre = await connect({ url: await server.listen() });
    const run = await gyre.startRun({ experiment: 'bikes', runName: 'ridge-2011' });
    runId = run.id;
    await gyre.tracking.logBatch(runId, {
      metrics: [
        { key: 'rmse', value: 58.2, timestamp: Date.now(), step: 0 },
        { key: 'rmse/season:winter', value: 41.5, timestamp: Date.now(), step: 0 },
      ],
      params: [{ key: 'lambda', value: '1' }],
      tags: [{ key: 'mlflow.source.git.commit', value: 'a'.repeat(40) }],
    });
    await gyre.tracking.logInputs(runId, [{ dataset: { name: 'bike-hours', digest: 'b'.repeat(32), sourceType: 'gyre', source: 'bike-hours@1' }, tags: [{ key: 'mlflow.data.context', value: 'training' }] }]);
    await run.end();
  });
  afterAll(async () => {
    await gyre?.close();
    await server?.close();
  });

  it('registers a version whose lineage reaches the run, its data and its code', async () => {
    const v = await gyre.models.register({ name: 'bikes', onnx: linear3(), featureNames: ['temp', 'hum', 'wind'], runId, task: 'regression', description: 'Hourly demand, for staffing.', alias: 'champion' }, alice);
    expect(v).toMatchObject({ name: 'bikes', version: 1, runId, aliases: ['champion'], packageDigest: expect.stringMatching(/^sha256:/) });
    const g = await gyre.models.lineage('bikes@champion');
    const kinds = g.nodes.map((n) => n.kind).sort();
    expect(kinds).toEqual(['code', 'dataset', 'model_version', 'run']);
    expect(g.edges.map((e) => e.relation).sort()).toEqual(['ran_code', 'read', 'trained_by']);
    expect(g.nodes.find((n) => n.kind === 'dataset')!.attributes).toMatchObject({ name: 'bike-hours' });
    expect(g.nodes.find((n) => n.kind === 'run')!.attributes).toMatchObject({ params: { lambda: '1' }, metrics: { rmse: 58.2 } });
  });

  it('links a retrained version to its parent and renders a model card with per-group metrics and approvals', async () => {
    await gyre.registry.protectAlias('bikes', 'champion', null, alice);
    const v2 = await gyre.models.register({ name: 'bikes', onnx: linear3(), featureNames: ['temp', 'hum', 'wind'], runId, parentModel: 'bikes/1' }, alice);
    const req = await gyre.registry.requestApproval('bikes', 'champion', v2.version, { user: 'alice', reason: 'retrained on 2012' });
    await gyre.registry.decide(req.id, 'APPROVED', { user: 'bob', reason: 'rmse holds' });
    const g = await gyre.models.lineage('bikes@champion');
    expect(g.edges).toContainEqual({ from: 'model:bikes/2', to: 'model:bikes/1', relation: 'derived_from' });
    const md = await gyre.models.card('bikes@champion', 'markdown');
    expect(md).toMatch(/^# Model card: bikes version 2/);
    expect(md).toMatch(/\| rmse \| 58\.2 \|/);
    expect(md).toMatch(/## Metrics per group[\s\S]*rmse\/season:winter \| 41\.5/);
    expect(md).toMatch(/approval #\d+ for @champion: APPROVED \| alice → bob \| rmse holds/);
    expect(md).toMatch(/\| parent model \| bikes\/1 \|/);
    const html = await gyre.models.card('bikes/1', 'html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Hourly demand, for staffing.');
  });

  it('registers the model a run logged, with the run as its lineage', async () => {
    const run = await gyre.startRun({ experiment: 'bikes', runName: 'logs-a-model' });
    const logged = await run.logModel(mixed(), { manifest: { task: 'regression', inputs: [{ name: 'city', type: 'string', tensor: 'city' }, { name: 'temp', type: 'number', tensor: 'temp' }] } });
    expect(logged).toMatchObject({ artifactPath: 'model', digest: expect.stringMatching(/^sha256:/) });
    const files = (await gyre.artifacts.list(run.id, 'model')).files.map((f) => f.path);
    expect(files).toEqual(['model/gyre-model.json', 'model/model.onnx']);
    await run.end();
    const v = await gyre.models.register({ name: 'cities', runId: run.id }, alice);
    expect(v).toMatchObject({ name: 'cities', version: 1, runId: run.id });
    const card = await gyre.models.card('cities/1', 'markdown');
    expect(card).toMatch(/\| city \| string \|/);
    await expect(gyre.models.register({ name: 'cities', runId: runId }, alice)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/has no logged model at 'model'/) });
  });

  it('refuses a file that is not a loadable model, or a manifest that disagrees, registering nothing', async () => {
    const before = (await gyre.registry.listVersions('bikes')).length;
    await expect(gyre.models.register({ name: 'bikes', onnx: new TextEncoder().encode('not a model') }, alice)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/not an ONNX model/) });
    await expect(gyre.models.register({ name: 'bikes', onnx: mixed(), manifest: { inputs: [{ name: 'city', type: 'string', tensor: 'town' }] } }, alice)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/tensor 'town'/) });
    await expect(gyre.models.register({ name: 'fresh-model', onnx: new TextEncoder().encode('x') }, alice)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await gyre.registry.listVersions('bikes')).length).toBe(before);
    await expect(gyre.registry.getModel('fresh-model')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
