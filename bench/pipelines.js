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
 * same concurrency, same Redis, same run, dispatched the way the coordinator dispatches (see
 * rawSide). Every side is warmed up untimed first, then timed in interleaved rounds (see
 * distributedRounds). Goal: Gyre's steps/s ≥ 50% of raw jobs/s. CPU per process (PostgreSQL and Redis
 * included) is printed.
 *
 * Env: BENCH_REDIS_URL (default GYRE_REDIS_URL or redis://127.0.0.1:6379), BENCH_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test; a fresh schema is made and dropped),
 * BENCH_PIPELINE_STEPS (in-process steps, default 200), BENCH_DISTRIBUTED_STEPS (default 1000),
 * BENCH_WORKER_CONCURRENCY (per worker, default 8), BENCH_DISTRIBUTED_ROUNDS (default 5),
 * BENCH_DISTRIBUTED_WARM (untimed passes per side, default 8), BENCH_DISTRIBUTED=0 to skip that part,
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
import { redisOptions, STEP_QUEUE } from '../dist/pipelines/distributed/redis-connection.js';
import { goal, log, machineInfo, mainOf, round, withTempDir } from './support/stats.js';
import { cpuByProgram, cpuDelta, switchesDelta } from './support/process-cpu.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GYRE_BIN = path.join(HERE, '..', 'bin', 'gyre.js');
const STEPS = Number(process.env.BENCH_PIPELINE_STEPS ?? 200);
const DIST_STEPS = Number(process.env.BENCH_DISTRIBUTED_STEPS ?? 1000);
const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 8);
/** Steps (and raw jobs) in flight at once: twice what the workers run, so none waits for work. */
const IN_FLIGHT = 2 * WORKER_CONCURRENCY * 2;
const ROUNDS = Number(process.env.BENCH_DISTRIBUTED_ROUNDS ?? 5);
// Eight: measured on this machine, a fresh coordinator's and workers' steps/s still rise over their
// first six to ten passes (V8 tiering of the scheduling and BullMQ paths), raw BullMQ's over ~six.
const WARM_PASSES = Number(process.env.BENCH_DISTRIBUTED_WARM ?? 8);
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

/** Gyre's side: 2 `gyre worker` processes and a coordinator (this process); `pass()` runs the fan-out once. */
async function gyreSide(dir, databaseUrl) {
  const module = writeDistributedModule(dir);
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const env = { GYRE_DATABASE_URL: databaseUrl, GYRE_ARTIFACTS_URL: `file:${path.join(dir, 'artifacts')}`, GYRE_REDIS_URL: REDIS_URL };
  const services = await openServices({ home: dir, databaseUrl, artifactsUrl: env.GYRE_ARTIFACTS_URL });
  const workers = [];
  let dispatcher;
  let jobs;
  const close = async () => {
    await jobs?.close();
    await dispatcher?.close();
    await Promise.all(workers.map(stop));
    await services.close();
  };
  try {
    for (let i = 0; i < 2; i++) workers.push(await startProcess([GYRE_BIN, '--home', dir, 'worker', '--concurrency', String(WORKER_CONCURRENCY), '--queue-prefix', prefix, '--module', module], env, 'taking steps from'));
    const pipelines = new PipelineService(services, services.pipelineStore, 'bench-coordinator');
    const { pipeline } = await import(pathToFileURL(module).href);
    dispatcher = await BullmqDispatcher.connect(REDIS_URL, prefix);
    jobs = new Queue(STEP_QUEUE, { connection: redisOptions(REDIS_URL), prefix });
    // Fast fan-out items share jobs (item-batching.ts): how many BullMQ jobs the steps took is printed.
    const jobsDone = async () => (await jobs.getJobCounts('completed')).completed;
    const pass = async () => {
      const r = await pipelines.run(pipeline, { dispatcher, force: true, concurrency: IN_FLIGHT });
      if (r.status !== 'succeeded') throw new Error(`distributed bench pipeline ${r.status}: ${r.error}`);
    };
    return { workers, pass, jobsDone, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** `node bench/pipelines.js --raw-worker <prefix> <concurrency>`: a bare BullMQ worker with a no-op processor. */
async function rawWorker(prefix, concurrency) {
  const worker = new Worker('raw-noop', async (job) => ({ x: job.data.i }), { connection: redisOptions(REDIS_URL), prefix, concurrency: Number(concurrency) });
  await worker.waitUntilReady();
  process.stdout.write('raw worker ready\n');
  process.once('SIGTERM', () => worker.close().then(() => process.exit(0)));
}

/**
 * Raw BullMQ's side, two ways: `bulk` dispatches as Gyre's coordinator does (jobs queued in one turn
 * go in one addBulk; completions come through one QueueEvents listener, matched by job id; the
 * same number in flight); `each` adds and awaits every job on its own (Job.waitUntilFinished), the
 * plain way to use BullMQ.
 */
async function rawSide() {
  const prefix = `bench-raw-${randomBytes(4).toString('hex')}`;
  const workers = [];
  const connection = redisOptions(REDIS_URL);
  const queue = new Queue('raw-noop', { connection, prefix });
  const events = new QueueEvents('raw-noop', { connection, prefix });
  const close = async () => {
    await Promise.all(workers.map(stop));
    await events.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  };
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    queue.setMaxListeners(0);
    events.setMaxListeners(0);
    for (let i = 0; i < 2; i++) workers.push(await startProcess([fileURLToPath(import.meta.url), '--raw-worker', prefix, String(WORKER_CONCURRENCY)], {}, 'raw worker ready'));
  } catch (err) {
    await close();
    throw err;
  }
  const opts = { attempts: 3, removeOnComplete: { age: 3600, count: 10_000 } };
  let passes = 0;
  const each = async () => {
    const pass = passes++;
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < DIST_STEPS) {
          const i = next++;
          const job = await queue.add('noop', { i }, { ...opts, jobId: `each~${pass}~${i}` });
          await job.waitUntilFinished(events);
        }
      }),
    );
  };
  const waiting = new Map();
  events.on('completed', ({ jobId }) => {
    waiting.get(jobId)?.();
    waiting.delete(jobId);
  });
  const bulk = async () => {
    const pass = passes++;
    let next = 0;
    let pending = [];
    const add = (i) =>
      new Promise((resolve) => {
        const jobId = `bulk~${pass}~${i}`;
        waiting.set(jobId, resolve);
        if (pending.length === 0) setImmediate(() => queue.addBulk(pending.splice(0)));
        pending.push({ name: 'noop', data: { i }, opts: { ...opts, jobId } });
      });
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < DIST_STEPS) await add(next++);
      }),
    );
  };
  return { workers, bulk, each, close };
}

/**
 * Gyre and raw BullMQ, all four worker processes up at once (idle BullMQ workers block in Redis,
 * costing nothing), warmed by WARM_PASSES untimed passes each (V8 optimises a worker's hot path
 * over its first thousands of jobs; a long-lived pool is past that), then ROUNDS timed rounds, each
 * running Gyre, raw bulk and raw one-by-one back to back in a rotating order: the machine's drift
 * (±30% within a minute here) moves all three of a round alike, so each round's ratio is fair and
 * their median is the figure.
 */
async function distributedRounds(dir, databaseUrl) {
  const gyre = await gyreSide(dir, databaseUrl);
  let raw;
  try {
    raw = await rawSide();
    const labels = new Map([[process.pid, 'coordinator'], ...gyre.workers.map((w, i) => [w.pid, `worker-${i + 1}`]), ...raw.workers.map((w, i) => [w.pid, `raw-worker-${i + 1}`])]);
    const sides = { gyre: gyre.pass, bulk: raw.bulk, each: raw.each };
    for (let i = 0; i < WARM_PASSES; i++) for (const pass of Object.values(sides)) await pass();
    const totals = Object.fromEntries(Object.keys(sides).map((k) => [k, { s: [], cpu: {}, wakeups: {} }]));
    const add = (into, delta) => Object.entries(delta).forEach(([k, v]) => (into[k] = (into[k] ?? 0) + v));
    const ratios = [];
    const jobs0 = await gyre.jobsDone();
    for (let round = 0; round < ROUNDS; round++) {
      const names = Object.keys(sides);
      const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
      const seconds = {};
      for (const name of order) {
        const c0 = cpuByProgram(labels);
        const t0 = performance.now();
        await sides[name]();
        seconds[name] = (performance.now() - t0) / 1000;
        const c1 = cpuByProgram(labels);
        totals[name].s.push(seconds[name]);
        add(totals[name].cpu, cpuDelta(c0, c1));
        add(totals[name].wakeups, switchesDelta(c0, c1));
      }
      ratios.push({ to_faster: seconds.gyre ** -1 / Math.max(seconds.bulk ** -1, seconds.each ** -1), to_bulk: seconds.bulk / seconds.gyre, to_each: seconds.each / seconds.gyre });
    }
    const figures = (t) => ({
      per_s_median: round(DIST_STEPS / median(t.s), 1),
      per_s_by_round: t.s.map((s) => round(DIST_STEPS / s, 0)),
      // Per 1,000 steps or jobs, summed over the rounds: where the CPU went, whatever the drift.
      cpu_ms_per_1000_by_process: perThousand(t.cpu),
      wakeups_per_1000_by_process: perThousand(t.wakeups),
    });
    const jobsPer1000 = Math.round(((await gyre.jobsDone()) - jobs0) / ROUNDS / (DIST_STEPS / 1000));
    return {
      gyre: { ...figures(totals.gyre), jobs_per_1000_steps: jobsPer1000 },
      bulk: figures(totals.bulk),
      each: figures(totals.each),
      ratio: round(median(ratios.map((r) => r.to_faster)), 3),
      ratio_by_round: ratios.map((r) => round(r.to_faster, 3)),
      ratio_to_bulk: round(median(ratios.map((r) => r.to_bulk)), 3),
      ratio_to_each: round(median(ratios.map((r) => r.to_each)), 3),
    };
  } finally {
    await raw?.close();
    await gyre.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perThousand = (byProcess) => Object.fromEntries(Object.entries(byProcess).map(([k, v]) => [k, Math.round((v * 1000) / (DIST_STEPS * ROUNDS))]).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]));

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
    const d = await withTempDir('pipelines-dist', (dir) => withPostgresSchema((url) => distributedRounds(dir, url)));
    distributed = {
      rounds: ROUNDS,
      warm_passes_per_side: WARM_PASSES,
      gyre: { steps: DIST_STEPS, bullmq_jobs_per_1000_steps: d.gyre.jobs_per_1000_steps, steps_per_s: d.gyre.per_s_median, steps_per_s_by_round: d.gyre.per_s_by_round, cpu_ms_per_1000_steps: d.gyre.cpu_ms_per_1000_by_process, wakeups_per_1000_steps: d.gyre.wakeups_per_1000_by_process },
      baseline: { what: 'raw BullMQ no-op jobs dispatched as the coordinator does (addBulk per turn, one completion listener), same Redis, 2 worker processes, same concurrency and jobs in flight', jobs: DIST_STEPS, jobs_per_s: d.bulk.per_s_median, jobs_per_s_by_round: d.bulk.per_s_by_round, cpu_ms_per_1000_jobs: d.bulk.cpu_ms_per_1000_by_process },
      baseline_each: { what: 'the same jobs added and awaited one by one (queue.add + job.waitUntilFinished)', jobs: DIST_STEPS, jobs_per_s: d.each.per_s_median, jobs_per_s_by_round: d.each.per_s_by_round, cpu_ms_per_1000_jobs: d.each.cpu_ms_per_1000_by_process },
      // The goal is judged against the faster of the two raw dispatches, round by round.
      ratio: d.ratio,
      ratio_by_round: d.ratio_by_round,
      ratio_to_bulk: d.ratio_to_bulk,
      ratio_to_each: d.ratio_to_each,
      ratio_definition: 'median over rounds of Gyre steps/s ÷ the faster raw BullMQ jobs/s of the same round (each Gyre step also writes its tracking run, step state, outputs and cache entry to PostgreSQL)',
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
