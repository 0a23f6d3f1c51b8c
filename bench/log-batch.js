/**
 * Sustained metric ingestion over MLflow's runs/log-batch: 20 concurrent clients, each owning a
 * run, each POSTing 500 metrics (10 keys × 50 increasing steps, real timestamps) back to back.
 * Baseline, same run, same machine: raw better-sqlite3 writing the same rows into the same tables
 * (latest_metrics upsert + metric_points inserts, one transaction per 500-row batch, one thread).
 *
 * Env: BENCH_SECONDS (measured window, default 10), BENCH_WARMUP_SECONDS (default 2),
 * BENCH_RAW_SECONDS (baseline window, default 5), BENCH_SERVER_PROF=<dir> (profile the server).
 */
import path from 'node:path';
import { openSqlite } from '../dist/stores/sqlite/open-sqlite.js';
import { startServer, usageBetween } from './support/start-server.js';
import { createClient } from './support/http-client.js';
import { goal, latencySummary, log, mainOf, round, seconds, withTempDir } from './support/stats.js';

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
    let usageStart = null;
    let clientCpuStart = null;
    const usageAtStart = setTimeout(async () => {
      clientCpuStart = process.cpuUsage();
      usageStart = await server.usage();
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
          if (done >= windowStart && done <= windowEnd) {
            windowBatches++;
            latencies.push(res.ms);
          }
        }
      }),
    );
    clearTimeout(usageAtStart);
    const usageEnd = await server.usage();
    const clientCpu = clientCpuStart && process.cpuUsage(clientCpuStart);
    const elapsedMs = performance.now() - windowStart;
    // The window closed when the last client finished its in-flight request; measure that span.
    const windowSeconds = measureSeconds;

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
      ...(usageStart ? usageBetween(usageStart, usageEnd) : {}),
      client_cpu_pct_of_one_core: clientCpu ? round(((clientCpu.user + clientCpu.system) / 1000 / elapsedMs) * 100, 0) : null,
      total_points_stored: stepsLogged.reduce((a, b) => a + b, 0) * KEYS,
      verified: `run 0 k0 history has ${stored} points = steps logged`,
    };
  } finally {
    client.close();
    await server.stop();
  }
}

/** The same rows through raw better-sqlite3 prepared statements, one transaction per batch. */
function rawBaseline(dir, { measureSeconds, warmupSeconds }) {
  // The Kysely half of the handle is not used: the baseline is better-sqlite3 alone.
  const { raw } = openSqlite(path.join(dir, 'raw', 'gyre.db'));
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

    const steps = new Array(CLIENTS).fill(0);
    const t0 = performance.now();
    const windowStart = t0 + warmupSeconds * 1000;
    const windowEnd = windowStart + measureSeconds * 1000;
    const latencies = [];
    let batches = 0;
    let i = 0;
    let measuredFrom = null;
    for (;;) {
      const now = performance.now();
      if (now >= windowEnd) break;
      if (now >= windowStart && measuredFrom === null) measuredFrom = now;
      const run = i++ % CLIENTS;
      const metrics = makeMetrics(steps[run]);
      const t = performance.now();
      writeBatch.immediate(runIds[run], metrics);
      steps[run] += STEPS_PER_BATCH;
      if (measuredFrom !== null) {
        latencies.push(performance.now() - t);
        batches++;
      }
    }
    const span = (performance.now() - measuredFrom) / 1000;
    const stored = raw.prepare('SELECT count(*) FROM metric_points').pluck().get();
    return {
      points_per_s: Math.round((batches * POINTS_PER_BATCH) / span),
      batches_per_s: round(batches / span, 1),
      latency_ms: latencySummary(latencies),
      total_points_stored: stored,
    };
  } finally {
    raw.close();
  }
}

export async function run() {
  const measureSeconds = seconds(10);
  const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
  const rawSeconds = Number(process.env.BENCH_RAW_SECONDS ?? Math.min(5, measureSeconds));
  return withTempDir('log-batch', async (dir) => {
    log(`log-batch: raw better-sqlite3 baseline for ${rawSeconds}s (+1s warm-up)`);
    const baseline = rawBaseline(dir, { measureSeconds: rawSeconds, warmupSeconds: 1 });
    log(`log-batch: baseline ${baseline.points_per_s} points/s; Gyre over HTTP, ${CLIENTS} clients, ${warmupSeconds}s warm-up + ${measureSeconds}s`);
    const gyre = await gyreLoad(dir, { measureSeconds, warmupSeconds });
    const ratio = round(gyre.points_per_s / baseline.points_per_s, 3);
    return {
      bench: 'log-batch',
      what: `POST /api/2.0/mlflow/runs/log-batch, ${POINTS_PER_BATCH} metrics (${KEYS} keys × ${STEPS_PER_BATCH} steps) per request, ${CLIENTS} concurrent clients (keep-alive, maxSockets 20), one run each, embedded SQLite, server in its own process`,
      config: { clients: CLIENTS, points_per_batch: POINTS_PER_BATCH, warmup_s: warmupSeconds, measured_s: measureSeconds, baseline_s: rawSeconds },
      gyre,
      baseline: { name: 'raw better-sqlite3 prepared statements, same tables/rows, 1 transaction per 500-row batch, single thread, no HTTP', ...baseline },
      ratio,
      ratio_definition: 'gyre points/s ÷ raw better-sqlite3 points/s',
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
