/**
 * Pipeline scheduling overhead and distributed throughput.
 *
 * In process (embedded SQLite + local artifacts), a pipeline of 200 independent no-op function steps:
 * - executed: `--force` runs, per-step wall time (goal ≤ 5 ms);
 * - cached: an unchanged rerun where every step is a cache hit, per-step wall time (goal ≤ 2 ms).
 * Baseline, same run: the irreducible tracking work of a step done directly — one nested run created
 * and ended through TrackingService per step, and the no-op function called — per step.
 *
 * Distributed (when Redis and PostgreSQL are reachable): 1,000 no-op steps (one mapped step) over 2
 * `gyre worker` processes, against raw BullMQ: 1,000 no-op jobs over 2 worker processes with the
 * same concurrency, same Redis, same run. Goal: Gyre's steps/s ≥ 50% of raw jobs/s.
 *
 * Env: BENCH_REDIS_URL (default GYRE_REDIS_URL or redis://127.0.0.1:6379), BENCH_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test; a fresh schema is made and dropped),
 * BENCH_PIPELINE_STEPS (in-process steps, default 200), BENCH_DISTRIBUTED_STEPS (default 1000),
 * BENCH_WORKER_CONCURRENCY (per worker, default 8), BENCH_DISTRIBUTED=0 to skip that part,
 * BENCH_PROF_DIR=<dir> for CPU profiles of the worker processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { openServices } from '../dist/services.js';
import { PipelineService } from '../dist/pipelines/pipeline-service.js';
import { definePipeline, step } from '../dist/pipelines/define-pipeline.js';
import { BullmqDispatcher } from '../dist/pipelines/distributed/bullmq-dispatcher.js';
import { redisOptions } from '../dist/pipelines/distributed/redis-connection.js';
import { goal, log, machineInfo, mainOf, round, withTempDir } from './support/stats.js';
import { cpuByProgram, cpuDelta } from './support/process-cpu.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GYRE_BIN = path.join(HERE, '..', 'bin', 'gyre.js');
const STEPS = Number(process.env.BENCH_PIPELINE_STEPS ?? 200);
const DIST_STEPS = Number(process.env.BENCH_DISTRIBUTED_STEPS ?? 1000);
const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 8);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.GYRE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const noopPipeline = (n) => definePipeline({ name: 'bench-noop', steps: Array.from({ length: n }, (_, i) => step({ name: `s${i}`, outputs: ['x'], run: () => ({ x: i }) })) });

async function inProcess(dir) {
  const services = await openServices({ home: dir, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
  try {
    const pipelines = new PipelineService(services, services.pipelineStore, 'bench');
    const pipeline = noopPipeline(STEPS);
    await pipelines.run(pipeline, { force: true }); // warm-up: JIT, migrations, cache entries
    const timed = async (opts) => {
      const t0 = performance.now();
      const r = await pipelines.run(pipeline, opts);
      const ms = performance.now() - t0;
      if (r.status !== 'succeeded') throw new Error(`bench pipeline ${r.status}: ${r.error}`);
      return { ms, statuses: [...new Set(r.steps.map((s) => s.status))] };
    };
    const executed = await timed({ force: true, concurrency: 8 });
    const cached = await timed({ concurrency: 8 });
    if (cached.statuses.join() !== 'cached') throw new Error(`expected every step cached, got ${cached.statuses}`);

    // Baseline: what any tracked step costs at least — a nested run created and ended, the function called.
    const experiment = await services.tracking.ensureExperiment('bench-baseline');
    const parent = await services.tracking.createRun({ experimentId: experiment.experimentId });
    const fns = [...pipeline.functions.values()];
    const t0 = performance.now();
    for (const fn of fns) {
      const run = await services.tracking.createRun({ experimentId: experiment.experimentId, parentRunId: parent.info.runId });
      await fn({});
      await services.tracking.endRun(run.info.runId, 'FINISHED');
    }
    const baselineMs = performance.now() - t0;
    return { executedPerStepMs: executed.ms / STEPS, cachedPerStepMs: cached.ms / STEPS, baselinePerStepMs: baselineMs / STEPS };
  } finally {
    await services.close();
  }
}

/** A module the workers import: 1,000 mapped copies of one no-op step. */
function writeDistributedModule(dir) {
  const file = path.join(dir, 'noop-pipeline.mjs');
  const dist = pathToFileURL(path.join(HERE, '..', 'dist', 'pipelines', 'define-pipeline.js')).href;
  fs.writeFileSync(file, `import { definePipeline, step } from '${dist}';
export const pipeline = definePipeline({ name: 'bench-fanout', module: import.meta.url, steps: [step({ name: 'noop', map: Array.from({ length: ${DIST_STEPS} }, (_, i) => i), outputs: ['x'], run: ({ item }) => ({ x: item }) })] });
`);
  return file;
}

/** BENCH_PROF_DIR=<dir>: workers write V8 CPU profiles there (summarise with bench/support/summarize-profile.js). */
const PROF_ARGS = process.env.BENCH_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF_DIR}`] : [];

function startProcess(args, env, readyText) {
  const child = spawn(process.execPath, [...PROF_ARGS, ...args], { env: { ...process.env, ...env, GYRE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes(readyText)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`process exited with ${code}: ${err}`)));
  });
}

const stop = (child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))));

async function distributedGyre(dir, databaseUrl) {
  const module = writeDistributedModule(dir);
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const env = { GYRE_DATABASE_URL: databaseUrl, GYRE_ARTIFACTS_URL: `file:${path.join(dir, 'artifacts')}`, GYRE_REDIS_URL: REDIS_URL };
  const services = await openServices({ home: dir, databaseUrl, artifactsUrl: env.GYRE_ARTIFACTS_URL });
  const workers = [];
  try {
    for (let i = 0; i < 2; i++) workers.push(await startProcess([GYRE_BIN, '--home', dir, 'worker', '--concurrency', String(WORKER_CONCURRENCY), '--queue-prefix', prefix, '--module', module], env, 'taking steps from'));
    const pipelines = new PipelineService(services, services.pipelineStore, 'bench-coordinator');
    const { pipeline } = await import(pathToFileURL(module).href);
    const dispatcher = await BullmqDispatcher.connect(pipelines.env, REDIS_URL, prefix);
    try {
      const labels = processLabels(workers);
      const c0 = cpuByProgram(labels);
      const t0 = performance.now();
      const r = await pipelines.run(pipeline, { dispatcher, force: true, concurrency: 2 * WORKER_CONCURRENCY * 2 });
      const ms = performance.now() - t0;
      const cpu = cpuDelta(c0, cpuByProgram(labels));
      if (r.status !== 'succeeded') throw new Error(`distributed bench pipeline ${r.status}: ${r.error}`);
      return { steps: DIST_STEPS, s: ms / 1000, stepsPerS: DIST_STEPS / (ms / 1000), cpu };
    } finally {
      await dispatcher.close();
    }
  } finally {
    await Promise.all(workers.map(stop));
    await services.close();
  }
}

/** `node bench/pipelines.js --raw-worker <prefix> <concurrency>`: a bare BullMQ worker with a no-op processor. */
async function rawWorker(prefix, concurrency) {
  const worker = new Worker('raw-noop', async (job) => ({ x: job.data.i }), { connection: redisOptions(REDIS_URL), prefix, concurrency: Number(concurrency) });
  await worker.waitUntilReady();
  process.stdout.write('raw worker ready\n');
  process.once('SIGTERM', () => worker.close().then(() => process.exit(0)));
}

async function distributedRaw() {
  const prefix = `bench-raw-${randomBytes(4).toString('hex')}`;
  const workers = [];
  const connection = redisOptions(REDIS_URL);
  const queue = new Queue('raw-noop', { connection, prefix });
  const events = new QueueEvents('raw-noop', { connection, prefix });
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    // As the dispatcher does: every job in flight listens on these emitters.
    queue.setMaxListeners(0);
    events.setMaxListeners(0);
    for (let i = 0; i < 2; i++) workers.push(await startProcess([fileURLToPath(import.meta.url), '--raw-worker', prefix, String(WORKER_CONCURRENCY)], {}, 'raw worker ready'));
    // Same shape as the coordinator: one job per step, each awaited, the same number in flight.
    const inFlight = 2 * WORKER_CONCURRENCY * 2;
    let next = 0;
    const labels = processLabels(workers);
    const c0 = cpuByProgram(labels);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < DIST_STEPS) {
          const i = next++;
          const job = await queue.add('noop', { i }, { jobId: `raw~${i}`, attempts: 3, removeOnComplete: { age: 3600 } });
          await job.waitUntilFinished(events);
        }
      }),
    );
    const ms = performance.now() - t0;
    return { jobs: DIST_STEPS, s: ms / 1000, jobsPerS: DIST_STEPS / (ms / 1000), cpu: cpuDelta(c0, cpuByProgram(labels)) };
  } finally {
    await Promise.all(workers.map(stop));
    await events.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
}

/** This process as the coordinator and each worker by its index, in the CPU accounting. */
const processLabels = (workers) => new Map([[process.pid, 'coordinator'], ...workers.map((w, i) => [w.pid, `worker-${i + 1}`])]);

async function withPostgresSchema(fn) {
  const schema = `gyre_bench_${randomBytes(5).toString('hex')}`;
  const url = new URL(DATABASE_URL);
  url.searchParams.set('schema', schema);
  try {
    return await fn(url.toString());
  } finally {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  }
}

async function run() {
  const machine = machineInfo();
  log(`in process: ${STEPS} no-op steps`);
  const local = await withTempDir('pipelines', inProcess);
  let distributed = 'skipped (BENCH_DISTRIBUTED=0)';
  if (process.env.BENCH_DISTRIBUTED !== '0') {
    log(`distributed: ${DIST_STEPS} steps over 2 workers × ${WORKER_CONCURRENCY}, then raw BullMQ`);
    const gyre = await withTempDir('pipelines-dist', (dir) => withPostgresSchema((url) => distributedGyre(dir, url)));
    const raw = await distributedRaw();
    distributed = {
      gyre: { steps: gyre.steps, s: round(gyre.s, 2), steps_per_s: round(gyre.stepsPerS, 1), cpu_ms_by_process: gyre.cpu },
      baseline: { what: 'raw BullMQ no-op jobs, same Redis, 2 worker processes, same concurrency and jobs in flight', jobs: raw.jobs, s: round(raw.s, 2), jobs_per_s: round(raw.jobsPerS, 1), cpu_ms_by_process: raw.cpu },
      ratio: round(gyre.stepsPerS / raw.jobsPerS, 3),
      ratio_definition: 'Gyre steps/s ÷ raw BullMQ jobs/s (each Gyre step also writes its tracking run, step state, log artifact, outputs and cache entry to PostgreSQL and the artifact store)',
    };
  }
  return {
    bench: 'pipelines',
    machine,
    gyre: { steps: STEPS, executed_ms_per_step: round(local.executedPerStepMs, 3), cached_ms_per_step: round(local.cachedPerStepMs, 3) },
    baseline: { what: 'per step: one nested tracking run created and ended via TrackingService, and the no-op called (SQLite, same process)', ms_per_step: round(local.baselinePerStepMs, 3) },
    ratio: round(local.executedPerStepMs / local.baselinePerStepMs, 2),
    ratio_definition: 'executed step overhead ÷ baseline per-step tracking cost',
    ratio_cached: round(local.cachedPerStepMs / local.baselinePerStepMs, 2),
    distributed,
    goals: {
      cached_ms_per_step: goal(round(local.cachedPerStepMs, 3), '<=', 2),
      executed_ms_per_step: goal(round(local.executedPerStepMs, 3), '<=', 5),
      ...(typeof distributed === 'object' ? { distributed_ratio_to_raw_bullmq: goal(distributed.ratio, '>=', 0.5) } : {}),
    },
  };
}

if (process.argv[2] === '--raw-worker') rawWorker(process.argv[3], process.argv[4]);
else mainOf(import.meta.url, run);
