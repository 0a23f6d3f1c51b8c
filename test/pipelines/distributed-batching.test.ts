/**
 * Fan-out items that share a BullMQ job (item-batching.ts), on this machine's real Redis and
 * PostgreSQL with two `gyre worker` processes: fast items go in shared jobs, each stays a step with
 * its own tracking run, and a worker SIGKILLed in the middle of a shared job costs no step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { PipelineDefinition } from '../../src/pipelines/entities.js';
import { Queue } from 'bullmq';
import { openServices } from '../../src/services.js';
import type { Services } from '../../src/services.js';
import { PipelineService } from '../../src/pipelines/pipeline-service.js';
import { BullmqDispatcher } from '../../src/pipelines/distributed/bullmq-dispatcher.js';
import { redisOptions, STEP_QUEUE } from '../../src/pipelines/distributed/redis-connection.js';
import { postgresTestDatabase, postgresTestUrl, tempDir } from '../../src/test-support/test-databases.js';
import type { TestDatabase } from '../../src/test-support/test-databases.js';
import { repoRoot } from '../support/server-process.js';
import { startWorkerProcess, stopProcess } from './support/worker-process.js';
import { stepRunsOf } from './support/step-runs.js';

const redisUrl = process.env.GYRE_TEST_REDIS_URL ?? null;
const suite = redisUrl && postgresTestUrl ? describe : describe.skip;
const ITEMS = 60;
/** The item that takes long enough for its worker to be killed while it runs. */
const SLOW = 5;

/**
 * The definition as plain Node (and so every worker) computes it: imported under vitest, the
 * module's functions are transformed, and their code digest would differ from the workers'.
 */
function definitionOf(file: string): PipelineDefinition {
  const script = `import(${JSON.stringify(pathToFileURL(file).href)}).then((m) => process.stdout.write(JSON.stringify(m.pipeline.definition)))`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as PipelineDefinition;
}

suite('fan-out items sharing jobs on Redis (needs GYRE_TEST_REDIS_URL and GYRE_TEST_DATABASE_URL)', () => {
  const home = tempDir('gyre-batching-');
  const prefix = `gyre-test-${randomBytes(4).toString('hex')}`;
  const markers = path.join(home, 'markers');
  let database: TestDatabase;
  let services: Services;
  let moduleFile: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    database = postgresTestDatabase();
    const env = { GYRE_DATABASE_URL: database.url, GYRE_ARTIFACTS_URL: `file:${path.join(home, 'artifacts')}`, GYRE_REDIS_URL: redisUrl!, GYRE_QUEUE_PREFIX: prefix, GYRE_WORKER_LOCK_MS: '2000' };
    services = await openServices({ home, databaseUrl: database.url, artifactsUrl: env.GYRE_ARTIFACTS_URL });
    fs.mkdirSync(markers);
    // Workers run the built code: the module defines its pipeline with it, as a user's compiled module would.
    moduleFile = path.join(home, 'fanout.mjs');
    const define = pathToFileURL(path.join(repoRoot, 'dist', 'pipelines', 'define-pipeline.js')).href;
    fs.writeFileSync(
      moduleFile,
      `import fs from 'node:fs';
import { definePipeline, step } from '${define}';
export const pipeline = definePipeline({ name: 'quick-fanout', module: import.meta.url, steps: [
  step({ name: 'item', map: Array.from({ length: ${ITEMS} }, (_, i) => i), outputs: ['x'], run: async ({ item }) => {
    if (item === ${SLOW}) {
      fs.writeFileSync(${JSON.stringify(markers)} + '/' + process.pid, '');
      await new Promise((r) => setTimeout(r, 1500));
    }
    return { x: item * 2 };
  } }),
  step({ name: 'sum', inputs: { xs: 'item.x' }, outputs: ['total'], run: ({ inputs }) => ({ total: inputs.xs.reduce((a, b) => a + b, 0) }) }),
] });
`,
    );
    for (let i = 0; i < 2; i++) workers.push(await startWorkerProcess(home, env));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w, 'SIGKILL')));
    await services?.close();
    await database?.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('sends fast items in shared jobs, and a worker killed in the middle of one costs no step: each item ends with exactly one successful tracking run', async () => {
    const pipelines = new PipelineService(services, services.pipelineStore, 'coordinator');
    // Shared from the first item, so the first 16 items (the slow one among them) are one job.
    const dispatcher = await BullmqDispatcher.connect(redisUrl!, prefix, { sharing: { firstSeen: 0 } });
    const queue = new Queue(STEP_QUEUE, { connection: redisOptions(redisUrl!), prefix });
    const byPid = new Map(workers.map((w) => [w.pid!, w]));
    let killed: number | null = null;
    // The slow item leaves its worker's pid behind: that worker is killed while the item sleeps.
    const watcher = setInterval(() => {
      const pid = fs.readdirSync(markers).map(Number).find((p) => byPid.has(p));
      if (pid && killed === null) {
        killed = pid;
        byPid.get(pid)!.kill('SIGKILL');
      }
    }, 20);
    try {
      // Forced: no cache lookups between the first items' starts, so all 16 are dispatched in one turn.
      const result = await pipelines.run(definitionOf(moduleFile), { dispatcher, concurrency: 16, force: true });
      expect([result.status, result.error]).toEqual(['succeeded', null]);
      expect(killed).not.toBeNull();
      expect(result.steps).toHaveLength(ITEMS + 1);
      expect(result.steps.every((s) => s.status === 'succeeded')).toBe(true);

      // Fewer jobs than steps: the items after the first ones travelled together.
      const jobs = await queue.getJobs(['completed'], 0, -1);
      const shared = jobs.filter((j) => 'batch' in (j.data as object));
      expect(shared.length).toBeGreaterThan(0);
      expect(jobs.length).toBeLessThan(ITEMS);
      // The slow item's shared job was run again elsewhere: every step it carried is a new attempt.
      const slowJob = shared.find((j) => (j.data as { batch: { step: string }[] }).batch.some((r) => r.step === result.steps[SLOW]!.step));
      expect(slowJob).toBeDefined();
      expect(slowJob!.attemptsStarted).toBe(2);
      for (const req of (slowJob!.data as { batch: { step: string }[] }).batch) {
        const state = result.steps.find((s) => s.step === req.step)!;
        expect(state.attempt).toBe(2);
        expect(state.worker).not.toContain(`:${killed}`);
      }

      const tracked = await stepRunsOf(services, result.trackingRunId);
      expect(tracked.finishedByStep.size).toBe(ITEMS + 1);
      expect([...tracked.finishedByStep.values()].every((n) => n === 1)).toBe(true);
      expect(tracked.statusesOf(result.steps[SLOW]!.step)).toEqual(['FINISHED', 'KILLED']);
      const sum = result.steps.find((s) => s.step === 'sum')!;
      expect(JSON.parse(sum.outputs[0]!.inline!)).toBe(ITEMS * (ITEMS - 1));
    } finally {
      clearInterval(watcher);
      await queue.close();
      await dispatcher.close();
    }
  }, 120_000);
});
