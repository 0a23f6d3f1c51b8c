/**
 * The distributed executor on this machine's real Redis and PostgreSQL: two `gyre worker`
 * processes, a 20-step pipeline with fan-out, one worker SIGKILLed mid-step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openServices } from '../../src/services.js';
import type { Services } from '../../src/services.js';
import { PipelineService } from '../../src/pipelines/pipeline-service.js';
import { loadYamlPipeline } from '../../src/pipelines/yaml-pipeline.js';
import { BullmqDispatcher } from '../../src/pipelines/distributed/bullmq-dispatcher.js';
import { postgresTestDatabase, postgresTestUrl, tempDir } from '../../src/test-support/test-databases.js';
import type { TestDatabase } from '../../src/test-support/test-databases.js';
import { startWorkerProcess, stopProcess } from './support/worker-process.js';
import { stepRunsOf } from './support/step-runs.js';

const redisUrl = process.env.GYRE_TEST_REDIS_URL ?? null;
const suite = redisUrl && postgresTestUrl ? describe : describe.skip;

suite('distributed pipelines on Redis (needs GYRE_TEST_REDIS_URL and GYRE_TEST_DATABASE_URL)', () => {
  const home = tempDir('gyre-distributed-');
  const project = path.join(home, 'project');
  const prefix = `gyre-test-${randomBytes(4).toString('hex')}`;
  let database: TestDatabase;
  let services: Services;
  let env: Record<string, string>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    database = postgresTestDatabase();
    env = { GYRE_DATABASE_URL: database.url, GYRE_ARTIFACTS_URL: `file:${path.join(home, 'artifacts')}`, GYRE_REDIS_URL: redisUrl!, GYRE_QUEUE_PREFIX: prefix, GYRE_WORKER_LOCK_MS: '2000' };
    services = await openServices({ home, databaseUrl: database.url, artifactsUrl: env.GYRE_ARTIFACTS_URL! });
    fs.mkdirSync(project);
    // 1 + 18 fanned-out + 1 = 20 steps. Each work step takes a second, so a kill lands mid-step.
    const items = Array.from({ length: 18 }, (_, i) => `p${i}`);
    fs.writeFileSync(
      path.join(project, 'pipeline.yaml'),
      `name: fanout
steps:
  split:
    cmd: mkdir -p parts && echo ${items.join(' ')} > parts/list.txt
    outs: [parts/list.txt]
  work:
    foreach: [${items.join(', ')}]
    do:
      cmd: sleep 1 && echo done-\${item} > parts/\${item}.txt
      deps: [parts/list.txt]
      outs: ["parts/\${item}.txt"]
  collect:
    cmd: cat parts/p*.txt > all.txt
    after: [work]
    outs: [all.txt]
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

  it('completes a 20-step fan-out when a worker is SIGKILLed mid-step: the step moves to the other worker, and tracking holds exactly one successful run per step', async () => {
    const pipelines = new PipelineService(services, services.pipelineStore, 'coordinator');
    const dispatcher = await BullmqDispatcher.connect(redisUrl!, prefix);
    let killed: { step: string; pid: number } | null = null;
    const byPid = new Map(workers.map((w) => [w.pid!, w]));
    // Watch the store for the first step a worker has claimed, and kill that worker.
    const watcher = setInterval(async () => {
      if (killed) return;
      const [run] = await pipelines.list({ pipeline: 'fanout', limit: 1 });
      if (!run) return;
      const active = (await pipelines.store.getSteps(run.runId)).find((s) => s.status === 'running' && s.step.startsWith('work@') && s.worker);
      const pid = active ? Number(active.worker!.split(':').pop()) : NaN;
      if (active && byPid.has(pid) && !killed) {
        killed = { step: active.step, pid };
        byPid.get(pid)!.kill('SIGKILL');
      }
    }, 100);
    try {
      const result = await pipelines.run(loadYamlPipeline(path.join(project, 'pipeline.yaml')), { dispatcher, concurrency: 20 });
      expect(killed).not.toBeNull();
      expect(result.status).toBe('succeeded');
      expect(result.steps).toHaveLength(20);
      expect(result.steps.every((s) => s.status === 'succeeded')).toBe(true);
      const retried = result.steps.find((s) => s.step === killed!.step)!;
      expect(retried.attempt).toBe(2);
      expect(retried.worker).not.toContain(`:${killed!.pid}`);
      expect(fs.readFileSync(path.join(project, 'all.txt'), 'utf8').split('\n').filter(Boolean)).toHaveLength(18);

      const tracked = await stepRunsOf(services, result.trackingRunId);
      expect(tracked.finishedByStep.size).toBe(20);
      expect([...tracked.finishedByStep.values()].every((n) => n === 1)).toBe(true);
      // The killed attempt's run is kept, marked KILLED, not counted as a success.
      expect(tracked.statusesOf(killed!.step)).toEqual(['FINISHED', 'KILLED']);
    } finally {
      clearInterval(watcher);
      await dispatcher.close();
    }
  }, 120_000);

  it('cancels a distributed run: the worker stops the running command, queued steps are cancelled', async () => {
    // Replace the killed worker so two are running again.
    workers.push(await startWorkerProcess(home, env));
    const file = path.join(project, 'long.yaml');
    fs.writeFileSync(file, 'name: long\nsteps:\n  wait:\n    cmd: sleep 60\n  after:\n    cmd: echo never\n    after: [wait]\n');
    const pipelines = new PipelineService(services, services.pipelineStore, 'coordinator');
    const dispatcher = await BullmqDispatcher.connect(redisUrl!, prefix);
    try {
      const running = pipelines.run(loadYamlPipeline(file), { dispatcher });
      let runId: string | undefined;
      for (let i = 0; i < 200 && !runId; i++) {
        const [run] = await pipelines.list({ pipeline: 'long', limit: 1 });
        const steps = run ? await pipelines.store.getSteps(run.runId) : [];
        if (steps.some((s) => s.step === 'wait' && s.status === 'running')) runId = run!.runId;
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(runId).toBeDefined();
      await pipelines.cancel(runId!);
      const result = await running;
      expect(result.status).toBe('cancelled');
      expect(Object.fromEntries(result.steps.map((s) => [s.step, s.status]))).toEqual({ wait: 'cancelled', after: 'cancelled' });
    } finally {
      await dispatcher.close();
    }
  }, 60_000);
});
