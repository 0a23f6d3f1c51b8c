/**
 * metrics/get-history of one 100,000-point metric (the whole history in one response), 30 times
 * from one client and then from 20 concurrent clients.
 * Baseline, same run: better-sqlite3 selecting the same rows (one client). Also measured, to show
 * where the time goes: the service in-process (no HTTP), its SQL statement alone, and the wire
 * mapping + JSON.stringify of 100k points.
 *
 * Env: BENCH_SECONDS (cap of the 20-client phase, default 10), BENCH_HISTORY_POINTS (default
 * 100000), BENCH_SERVER_PROF=<dir> (write a CPU profile of the server process there).
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openServices } from '../dist/services.js';
import { metricToWire } from '../dist/server/mlflow-compat/wire.js';
import { startServer } from './support/start-server.js';
import { createClient } from './support/http-client.js';
import { goal, latencySummary, log, machineInfo, mainOf, readLoads, round, seconds, withTempDir } from './support/stats.js';

const KEY = 'loss';
const SEED_BATCH = 1000;
const SEQUENTIAL = 30;
const CLIENTS = 20;
const PER_CLIENT = 10;
const BASELINE_REPEATS = 30;

async function seed(home, points) {
  const services = await openServices({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
  try {
    const experimentId = await services.tracking.createExperiment({ name: 'bench-history' });
    const run = await services.tracking.createRun({ experimentId, runName: 'long-run' });
    const runId = run.info.runId;
    const t0 = Date.now() - points;
    for (let start = 0; start < points; start += SEED_BATCH) {
      const metrics = [];
      for (let step = start; step < Math.min(points, start + SEED_BATCH); step++) metrics.push({ key: KEY, value: 1 / (1 + step) + Math.random() * 1e-3, timestamp: t0 + step, step });
      await services.tracking.logBatch(runId, { metrics });
    }
    // Time the service itself while the store is open: getMetricHistory, then the wire mapping
    // and JSON.stringify the HTTP route adds on top.
    await services.tracking.getMetricHistory(runId, KEY);
    const service = [];
    const serialise = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const page = await services.tracking.getMetricHistory(runId, KEY);
      const t2 = performance.now();
      JSON.stringify({ metrics: page.items.map(metricToWire) });
      service.push(t2 - t);
      serialise.push(performance.now() - t2);
    }
    return { runId, service: latencySummary(service), serialise: latencySummary(serialise) };
  } finally {
    await services.close();
  }
}

function timeRepeats(n, fn) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return latencySummary(ms);
}

const BASELINE_SQL =
  `SELECT p.step, p.timestamp, p.is_nan, p.value FROM metric_points p ` +
  `JOIN latest_metrics l ON l.series_id = p.series_id WHERE l.run_uuid = ? AND l.key = ? ORDER BY p.step, p.timestamp, p.is_nan, p.value`;

function rawBaselines(dbFile, runId) {
  const db = new BetterSqlite3(dbFile, { readonly: true });
  try {
    const select = db.prepare(BASELINE_SQL);
    const rows = select.all(runId, KEY).length;
    const selection = timeRepeats(BASELINE_REPEATS, () => select.all(runId, KEY));
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${BASELINE_SQL}`).all(runId, KEY).map((r) => r.detail);
    // The same rows as MLflow JSON: a floor for the whole job in one thread without HTTP.
    const full = timeRepeats(Math.ceil(BASELINE_REPEATS / 3), () =>
      JSON.stringify({ metrics: select.all(runId, KEY).map((r) => ({ key: KEY, value: r.value, timestamp: r.timestamp, step: r.step })) }),
    );
    return { rows, selection, full, plan };
  } finally {
    db.close();
  }
}

async function httpLoad(home, runId, points, measureSeconds) {
  const server = await startServer(home);
  const client = createClient(server.port);
  const url = `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${KEY}`;
  try {
    // Every measured request carries a distinct unknown query field (ignored, as MLflow ignores
    // unknown fields): the same SQL and answer, but never a hit in the server's read cache. Cache
    // hits (the same request repeated with no write in between) are measured separately.
    let requests = 0;
    const uncachedUrl = () => `${url}&bench_request=${++requests}`;
    const once = async (target = uncachedUrl()) => {
      const res = await client.request('GET', target);
      if (res.status !== 200) throw new Error(`get-history → ${res.status}: ${res.error}`);
      return res;
    };
    const check = await client.request('GET', url, undefined, { json: true });
    const metrics = check.body.metrics ?? [];
    if (metrics.length !== points) throw new Error(`get-history returned ${metrics.length} points, expected ${points}`);
    if (!metrics.every((m, i) => m.step === i)) throw new Error('get-history points are not in step order');
    if (check.body.next_page_token) throw new Error('get-history paged although no max_results was sent');
    const checkUncached = await client.request('GET', uncachedUrl());
    if (checkUncached.bytes !== check.bytes) throw new Error('the uncached variant answered differently');

    await once(); // warm-up
    const load = { server, client, once, sequentialCount: SEQUENTIAL, clients: CLIENTS, seconds: measureSeconds, perClient: PER_CLIENT };
    return { response_bytes: check.bytes, ...(await readLoads(load, { uncached: uncachedUrl, cached: () => url })) };
  } finally {
    client.close();
    await server.stop();
  }
}

export async function run() {
  const measureSeconds = seconds(10);
  const points = Number(process.env.BENCH_HISTORY_POINTS ?? 100_000);
  const machine = machineInfo();
  return withTempDir('metric-history', async (dir) => {
    const home = path.join(dir, 'gyre-home');
    log(`metric-history: seeding one run with a ${points}-point metric in batches of ${SEED_BATCH}`);
    const t0 = performance.now();
    const { runId, service, serialise } = await seed(home, points);
    const seedSeconds = round((performance.now() - t0) / 1000, 1);
    log(`metric-history: seeded in ${seedSeconds}s; raw better-sqlite3 baseline`);
    const raw = rawBaselines(path.join(home, 'gyre.db'), runId);
    if (raw.rows !== points) throw new Error(`baseline selected ${raw.rows} rows, expected ${points}`);
    log(`metric-history: over HTTP, 1 client × ${SEQUENTIAL}, then ${CLIENTS} clients for ≤${measureSeconds}s or ${PER_CLIENT} requests each`);
    const http = await httpLoad(home, runId, points, measureSeconds);
    const ratio = round(raw.selection.p50 / http.single_client.p50, 4);
    return {
      bench: 'metric-history',
      what: `GET /api/2.0/mlflow/metrics/get-history (whole history, no max_results) of a ${points}-point metric, embedded SQLite, server in its own process`,
      machine,
      config: { points, sequential_requests: SEQUENTIAL, clients: CLIENTS, max_per_client: PER_CLIENT, cap_s: measureSeconds, seed_s: seedSeconds },
      gyre: { response_bytes: http.response_bytes, single_client_ms: http.single_client, clients_20_ms: http.clients_20, single_client_cached_ms: http.single_client_cached, clients_20_cached_ms: http.clients_20_cached },
      baseline: { name: 'better-sqlite3 SELECT of the same rows (series by run+key, ordered), one client, no HTTP', sql: BASELINE_SQL, plan: raw.plan, ms: raw.selection },
      ratio,
      ratio_definition: 'raw SQL p50 ÷ Gyre single-client p50 (1.0 = as fast as the bare SQL select)',
      ratio_throughput: round(http.clients_20.requests_per_s / (1000 / raw.selection.mean), 4),
      ratio_throughput_definition: 'Gyre req/s with 20 clients ÷ raw selects/s in one thread',
      decomposition: {
        raw_select_plus_json_ms: raw.full,
        raw_select_plus_json_note: 'better-sqlite3 select + MLflow-shaped objects + JSON.stringify, one thread, no HTTP — a floor for the whole job',
        ratio_select_plus_json: round(raw.full.p50 / http.single_client.p50, 3),
        in_process_service_ms: service,
        in_process_wire_mapping_and_json_stringify_ms: serialise,
      },
      goals: { p50_ms_single_client: goal(http.single_client.p50, '<=', 50), p50_ms_20_clients: goal(http.clients_20.p50, '<=', 50), p50_ms_20_clients_cached: goal(http.clients_20_cached.p50, '<=', 50) },
    };
  });
}

mainOf(import.meta.url, run);
