/**
 * Sustained metric ingestion over MLflow's runs/log-batch: 20 concurrent clients, each owning a
 * run, each POSTing 500 metrics (10 keys × 50 increasing steps, real timestamps) back to back.
 * Baseline, same run, same machine: raw better-sqlite3 writing the same rows into the same tables
 * (latest_metrics upsert + metric_points inserts, one transaction per 500-row batch, one thread).
 * Also measured: Gyre's service in-process (no HTTP), to split the gap between store and HTTP.
 *
 * Env: BENCH_SECONDS (measured window, default 10), BENCH_WARMUP_SECONDS (default 2),
 * BENCH_RAW_SECONDS (baseline and in-process windows, default 3), BENCH_SERVER_PROF=<dir>
 * (write a CPU profile of the server process there; summarise with support/summarize-profile.js).
 */
import path from 'node:path';
import { openSqlite } from '../dist/stores/sqlite/open-sqlite.js';
import { openServices } from '../dist/services.js';
import { startServer } from './support/start-server.js';
import { createClient } from './support/http-client.js';
import { goal, latencySummary, log, machineInfo, mainOf, round, seconds, withCpuAccounting, withTempDir } from './support/stats.js';

const CLIENTS = 20;
const KEYS = 10;
const STEPS_PER_BATCH = 50;
const POINTS_PER_BATCH = KEYS * STEPS_PER_BATCH;
const LOG_BATCH = '/api/2.0/mlflow/runs/log-batch';

/** One batch: every key at each of 50 consecutive steps starting at `firstStep`. */
function makeMetrics(firstStep) {
  const now = Date.now();
  const metrics = [];
  for (let s = 0; s < STEPS_PER_BATCH; s++) {
    for (let k = 0; k < KEYS; k++) metrics.push({ key: `k${k}`, value: Math.random(), timestamp: now + s, step: firstStep + s });
  }
  return metrics;
}

async function gyreLoad(dir, { measureSeconds, warmupSeconds }) {
  const server = await startServer(path.join(dir, 'gyre-home'));
  const client = createClient(server.port);
  try {
    const { experiment_id: experimentId } = await client.postJson('/api/2.0/mlflow/experiments/create', { name: 'bench-log-batch' });
    const runIds = [];
    for (let i = 0; i < CLIENTS; i++) {
      const { run } = await client.postJson('/api/2.0/mlflow/runs/create', { experiment_id: experimentId, run_name: `client-${i}`, start_time: Date.now() });
      runIds.push(run.info.run_id);
    }
    const t0 = performance.now();
    const windowStart = t0 + warmupSeconds * 1000;
    const windowEnd = windowStart + measureSeconds * 1000;
    const latencies = [];
    const errors = [];
    let windowBatches = 0;
    let batchesSinceWarmup = 0; // incl. those finishing after the window: the CPU span covers them
    // CPU accounting covers the measured window only: it starts when the warm-up ends.
    let accounting = null;
    let stopAccounting;
    const accountingDone = new Promise((resolve) => (stopAccounting = resolve));
    const warmupTimer = setTimeout(() => {
      accounting = withCpuAccounting(server, () => accountingDone);
    }, warmupSeconds * 1000);
    const stepsLogged = new Array(CLIENTS).fill(0);

    await Promise.all(
      runIds.map(async (runId, i) => {
        while (performance.now() < windowEnd) {
          const body = JSON.stringify({ run_id: runId, metrics: makeMetrics(stepsLogged[i]) });
          const res = await client.request('POST', LOG_BATCH, body);
          const done = performance.now();
          if (res.status !== 200) {
            errors.push(`${res.status} ${res.error}`);
            if (errors.length > 20) throw new Error(`log-batch keeps failing: ${errors[0]}`);
            continue;
          }
          stepsLogged[i] += STEPS_PER_BATCH;
          if (done >= windowStart) batchesSinceWarmup++;
          if (done >= windowStart && done <= windowEnd) {
            windowBatches++;
            latencies.push(res.ms);
          }
        }
      }),
    );
    clearTimeout(warmupTimer);
    stopAccounting();
    const cpu = accounting ? (await accounting).cpu : null;
    const windowSeconds = measureSeconds; // batches counted are those that finished inside it

    // Check that nothing was lost: run 0's history of k0 holds one point per logged step.
    const history = await client.getJson(`/api/2.0/mlflow/metrics/get-history?run_id=${runIds[0]}&metric_key=k0`);
    const stored = history.metrics?.length ?? 0;
    if (stored !== stepsLogged[0]) throw new Error(`run 0 logged ${stepsLogged[0]} steps of k0 but get-history returns ${stored}`);

    return {
      points_per_s: Math.round((windowBatches * POINTS_PER_BATCH) / windowSeconds),
      batches_per_s: round(windowBatches / windowSeconds, 1),
      latency_ms: latencySummary(latencies),
      errors: errors.length,
      first_error: errors[0] ?? null,
      cpu,
      server_cpu_ms_per_batch: cpu ? round(cpu.server_cpu_ms / batchesSinceWarmup, 3) : null,
      total_points_stored: stepsLogged.reduce((a, b) => a + b, 0) * KEYS,
      verified: `run 0 k0 history has ${stored} points = steps logged`,
    };
  } finally {
    client.close();
    await server.stop();
  }
}

/**
 * Single-threaded write loop shared by the baseline and the in-process tier: `write(run, metrics)`
 * is timed per batch; building the batch is not, so the rate is what the writer itself sustains.
 */
async function writeLoop({ runIds, measureSeconds, warmupSeconds, write }) {
  const steps = new Array(runIds.length).fill(0);
  const windowStart = performance.now() + warmupSeconds * 1000;
  const windowEnd = windowStart + measureSeconds * 1000;
  const latencies = [];
  let i = 0;
  for (; ; i++) {
    const now = performance.now();
    if (now >= windowEnd) break;
    const run = i % runIds.length;
    const metrics = makeMetrics(steps[run]);
    const t = performance.now();
    await write(runIds[run], metrics);
    const ms = performance.now() - t;
    steps[run] += STEPS_PER_BATCH;
    if (now >= windowStart) latencies.push(ms);
  }
  const writeSeconds = latencies.reduce((a, b) => a + b, 0) / 1000;
  return {
    points_per_s: Math.round((latencies.length * POINTS_PER_BATCH) / writeSeconds),
    batches_per_s: round(latencies.length / writeSeconds, 1),
    latency_ms: latencySummary(latencies),
    batches_incl_warmup: i,
  };
}

/** The same rows through raw better-sqlite3 prepared statements, one transaction per batch. */
async function rawBaseline(dbFile, opts) {
  // The Kysely half of the handle is not used: the baseline is better-sqlite3 alone, on the same
  // schema (same migrations, same pragmas).
  const { raw } = openSqlite(dbFile);
  try {
    const runIds = [];
    const insertRun = raw.prepare(
      `INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, lifecycle_stage, artifact_uri) VALUES (?, 0, ?, '', 'RUNNING', ?, 'active', ?)`,
    );
    for (let i = 0; i < CLIENTS; i++) {
      const id = `raw${String(i).padStart(29, '0')}`;
      insertRun.run(id, `client-${i}`, Date.now(), `file:///tmp/${id}`);
      runIds.push(id);
    }
    const upsert = raw.prepare(
      `INSERT INTO latest_metrics (run_uuid, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, ?) ` +
        `ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan ` +
        `WHERE (excluded.step, excluded.timestamp, excluded.value) >= (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`,
    );
    const seriesOf = raw.prepare('SELECT series_id FROM latest_metrics WHERE run_uuid = ? AND key = ?').pluck();
    const insertPoint = raw.prepare('INSERT INTO metric_points (series_id, step, timestamp, is_nan, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
    const writeBatch = raw.transaction((runId, metrics) => {
      const latest = new Map();
      for (const m of metrics) {
        const cur = latest.get(m.key);
        if (!cur || m.step > cur.step || (m.step === cur.step && m.timestamp >= cur.timestamp)) latest.set(m.key, m);
      }
      const series = new Map();
      for (const m of latest.values()) {
        upsert.run(runId, m.key, m.value, m.timestamp, m.step, 0);
        series.set(m.key, seriesOf.get(runId, m.key));
      }
      for (const m of metrics) insertPoint.run(series.get(m.key), m.step, m.timestamp, 0, m.value);
    });
    const { result, cpu } = await withCpuAccounting(null, () => writeLoop({ runIds, ...opts, write: (run, metrics) => writeBatch.immediate(run, metrics) }));
    return { ...result, cpu, cpu_ms_per_batch: round(cpu.client_cpu_ms / result.batches_incl_warmup, 3), total_points_stored: raw.prepare('SELECT count(*) FROM metric_points').pluck().get() };
  } finally {
    raw.close();
  }
}

/** Gyre's own write path (TrackingService.logBatch → SQL store) in this process: no HTTP. */
async function inProcess(home, opts) {
  const services = await openServices({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
  try {
    const experimentId = await services.tracking.createExperiment({ name: 'bench-log-batch-in-process' });
    const runIds = [];
    for (let i = 0; i < CLIENTS; i++) runIds.push((await services.tracking.createRun({ experimentId, runName: `client-${i}` })).info.runId);
    const { result, cpu } = await withCpuAccounting(null, () => writeLoop({ runIds, ...opts, write: (run, metrics) => services.tracking.logBatch(run, { metrics }) }));
    return { ...result, cpu, cpu_ms_per_batch: round(cpu.client_cpu_ms / result.batches_incl_warmup, 3) };
  } finally {
    await services.close();
  }
}

export async function run() {
  const measureSeconds = seconds(10);
  const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
  const sideSeconds = Number(process.env.BENCH_RAW_SECONDS ?? Math.min(3, measureSeconds));
  const side = { measureSeconds: sideSeconds, warmupSeconds: 1 };
  const machine = machineInfo();
  return withTempDir('log-batch', async (dir) => {
    // The baseline runs before and after the HTTP load (fresh database each time), so load from
    // other processes on the machine shows up as a gap between the two instead of a wrong ratio.
    log(`log-batch: raw better-sqlite3 baseline, ${sideSeconds}s`);
    const rawBefore = await rawBaseline(path.join(dir, 'raw-before', 'gyre.db'), side);
    log(`log-batch: Gyre in-process (TrackingService.logBatch, no HTTP), ${sideSeconds}s`);
    const inproc = await inProcess(path.join(dir, 'in-process'), side);
    log(`log-batch: Gyre over HTTP, ${CLIENTS} clients, ${warmupSeconds}s warm-up + ${measureSeconds}s`);
    const gyre = await gyreLoad(dir, { measureSeconds, warmupSeconds });
    log(`log-batch: raw better-sqlite3 baseline again, ${sideSeconds}s`);
    const rawAfter = await rawBaseline(path.join(dir, 'raw-after', 'gyre.db'), side);
    const rawRate = Math.round((rawBefore.points_per_s + rawAfter.points_per_s) / 2);
    const ratio = round(gyre.points_per_s / rawRate, 3);
    return {
      bench: 'log-batch',
      what: `POST /api/2.0/mlflow/runs/log-batch, ${POINTS_PER_BATCH} metrics (${KEYS} keys × ${STEPS_PER_BATCH} steps) per request, ${CLIENTS} concurrent clients (keep-alive, maxSockets 20), one run each, embedded SQLite, server in its own process`,
      machine,
      config: { clients: CLIENTS, points_per_batch: POINTS_PER_BATCH, warmup_s: warmupSeconds, measured_s: measureSeconds, baseline_s: sideSeconds },
      gyre,
      baseline: {
        name: 'raw better-sqlite3 prepared statements, same schema/rows, 1 transaction per 500-row batch, single thread, no HTTP (mean of a run before and one after the HTTP load)',
        points_per_s: rawRate,
        before: rawBefore,
        after: rawAfter,
      },
      ratio,
      ratio_definition: 'gyre HTTP points/s ÷ raw better-sqlite3 points/s',
      decomposition: {
        in_process_service: inproc,
        in_process_ratio_to_raw: round(inproc.points_per_s / rawRate, 3),
        note: 'in_process_service = TrackingService.logBatch (validation + Kysely + SQL) in one thread with no HTTP; the gap from it to gyre is HTTP, JSON parsing and wire mapping',
      },
      goals: {
        ratio: goal(ratio, '>=', 0.3),
        points_per_s: goal(gyre.points_per_s, '>=', 250_000),
        p50_ms: goal(gyre.latency_ms.p50, '<=', 20),
      },
      anchors_ms_per_500_metric_batch: { 'MLflow (stock, PostgreSQL)': '835-1200', FastTrackML: 250, 'mlflow-go': 13 },
    };
  });
}

mainOf(import.meta.url, run);
