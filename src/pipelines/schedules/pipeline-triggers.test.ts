import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { PipelineTriggers } from './pipeline-triggers.js';
import { pipelineFixture } from '../test-support/pipeline-fixture.js';
import type { PipelineFixture } from '../test-support/pipeline-fixture.js';

let f: PipelineFixture;
let file: string;
let triggers: PipelineTriggers;
beforeEach(async () => {
  f = await pipelineFixture();
  file = path.join(f.home, 'retrain.yaml');
  fs.writeFileSync(file, 'name: retrain\nsteps:\n  fit:\n    cmd: echo "$GYRE_PIPELINE_RUN_ID"\n');
  triggers = new PipelineTriggers(f.pipelines, f.services.scheduleStore, f.services.eventSources, { onError: (e) => { throw e; } });
});
afterEach(() => f.close());

const alice = { user: 'alice', reason: null };
const runTriggers = async () => (await f.pipelines.list({ pipeline: 'retrain', limit: 100 })).map((r) => r.trigger).sort();

describe('pipeline triggers', () => {
  it('starts a pipeline once per matching registry event, from events after the trigger was made, and a re-read after a crash runs nothing twice', async () => {
    await f.services.registry.createModel({ name: 'before' }, alice);
    const t = await triggers.add({ name: 'on-new-model', pipelineFile: file, source: 'registry', eventTypes: ['registered_model.created'] });
    await f.services.registry.createModel({ name: 'bikes' }, alice);
    await f.services.registry.createModel({ name: 'adult' }, alice);
    expect(await triggers.poll()).toHaveLength(2);
    await triggers.settled();
    expect(await triggers.poll()).toEqual([]);
    // A poller that died after starting the runs but before moving its cursor reads them again.
    const now = (await f.services.scheduleStore.getTrigger('on-new-model')).cursor;
    await f.services.scheduleStore.advanceTrigger('on-new-model', now, t.cursor);
    await triggers.poll();
    await triggers.settled();
    const runs = await runTriggers();
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.startsWith('trigger:on-new-model#'))).toBe(true);
  });

  it('fires an http trigger; the same idempotency key starts one run', async () => {
    await triggers.add({ name: 'manual', pipelineFile: file, source: 'http' });
    const a = await triggers.fire('manual', 'deploy-42');
    const b = await triggers.fire('manual', 'deploy-42');
    await triggers.settled();
    expect(a).toBe(b);
    expect(await runTriggers()).toEqual(['trigger:manual#deploy-42']);
    expect((await f.pipelines.show(a)).run.status).toBe('succeeded');
  });

  it('refuses an unknown source, an event type the source never emits, and a registry trigger fired over HTTP', async () => {
    await expect(triggers.add({ name: 'x', pipelineFile: file, source: 'kafka' })).rejects.toThrow(/Unknown trigger source 'kafka'. Available: http, registry/);
    await expect(triggers.add({ name: 'x', pipelineFile: file, source: 'registry', eventTypes: ['model.exploded'] })).rejects.toThrow(/never emits 'model.exploded'/);
    await triggers.add({ name: 'reg', pipelineFile: file, source: 'registry', eventTypes: ['model_alias.*'] });
    await expect(triggers.fire('reg')).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
