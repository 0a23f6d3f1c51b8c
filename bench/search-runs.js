/**
 * runs/search over a 25,000-run experiment (10 params, 10 metrics each): filter `metrics.m0 > 0.5`,
 * order by `metrics.m1 DESC`, max_results 1000 — one client, then 20 concurrent clients.
 * The server caches serialised search answers until the next write, so the main figures send
 * requests that differ only in trailing spaces of the filter: the same SQL and answer, but never a
 * cache hit. The same request repeated (answered from the cache) is measured apart.
 * Baseline, same run: the same selection as one plain SQL statement on better-sqlite3 (one client).
 * Also measured, to show where the time goes: the service in-process (no HTTP) with the time of each
 * SQL statement it runs, the EXPLAIN QUERY PLAN of those statements, and a raw "full payload"
 * baseline (the selection plus the 1000 runs' rows, serialised as MLflow JSON, no HTTP).
 *
 * Env: BENCH_SECONDS (cap of the 20-client phase, default 10), BENCH_SEARCH_RUNS (default 25000),
 * BENCH_SERVER_PROF=<dir> (write a CPU profile of the server process there).
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openServices } from '../dist/services.js';
import { openSqlite } from '../dist/stores/sqlite/open-sqlite.js';
import { SqlTrackingStore } from '../dist/stores/sql/sql-tracking-store.js';
import { TrackingService } from '../dist/tracking/tracking-service.js';
import { runToWire } from '../dist/server/mlflow-compat/wire.js';
import { startServer } from './support/start-server.js';
import { createClient } from './support/http-client.js';
import { goal, latencySummary, log, machineInfo, mainOf, readLoads, round, seconds, withTempDir } from './support/stats.js';

const CLIENTS = 20;
const PER_CLIENT = 50;
const MAX_RESULTS = 1000;
const FILTER = 'metrics.m0 > 0.5';
const ORDER_BY = ['metrics.m1 DESC'];
const SEQUENTIAL = 20;
const BASELINE_REPEATS = 50;

/** Seeds through the service, as a client would log: createRun, then one log-batch per run. */
async function seed(home, runs) {
  const services = await openServices({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
  try {
    const experimentId = await services.tracking.createExperiment({ name: 'bench-search' });
    const start = Date.now() - runs * 1000;
    for (let i = 0; i < runs; i++) {
      const run = await services.tracking.createRun({ experimentId, runName: `run-${i}`, startTime: start + i * 1000, userId: 'bench' });
      const now = Date.now();
      await services.tracking.logBatch(run.info.runId, {
        params: Array.from({ length: 10 }, (_, k) => ({ key: `p${k}`, value: `v${(i * 7 + k) % 97}` })),
        metrics: Array.from({ length: 10 }, (_, k) => ({ key: `m${k}`, value: Math.random(), timestamp: now, step: 0 })),
      });
    }
    return experimentId;
  } finally {
    await services.close();
  }
}

const BASELINE_SQL =
  `SELECT r.run_uuid FROM runs r ` +
  `JOIN latest_metrics f ON f.run_uuid = r.run_uuid AND f.key = 'm0' ` +
  `JOIN latest_metrics o ON o.run_uuid = r.run_uuid AND o.key = 'm1' ` +
  `WHERE r.experiment_id = ? AND r.lifecycle_stage = 'active' AND f.is_nan = 0 AND f.value > 0.5 ` +
  `ORDER BY o.value DESC, r.run_uuid DESC LIMIT ${MAX_RESULTS}`;

function timeRepeats(n, fn) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return latencySummary(ms);
}

/** The selection alone, and the selection plus the whole payload, on better-sqlite3 directly. */
function rawBaselines(dbFile, experimentId) {
  const db = new BetterSqlite3(dbFile, { readonly: true });
  try {
    const select = db.prepare(BASELINE_SQL).pluck();
    const ids = select.all(Number(experimentId));
    const selection = timeRepeats(BASELINE_REPEATS, () => select.all(Number(experimentId)));

    const inIds = `(SELECT value FROM json_each(?))`;
    const runsQ = db.prepare(`SELECT * FROM runs WHERE run_uuid IN ${inIds}`);
    const paramsQ = db.prepare(`SELECT run_uuid, key, value FROM params WHERE run_uuid IN ${inIds} ORDER BY run_uuid, key`);
    const tagsQ = db.prepare(`SELECT run_uuid, key, value FROM tags WHERE run_uuid IN ${inIds} ORDER BY run_uuid, key`);
    const metricsQ = db.prepare(`SELECT run_uuid, key, value, timestamp, step FROM latest_metrics WHERE run_uuid IN ${inIds} ORDER BY run_uuid, key`);
    const full = timeRepeats(Math.ceil(BASELINE_REPEATS / 2), () => {
      const chosen = select.all(Number(experimentId));
      const json = JSON.stringify(chosen);
      const byId = new Map();
      for (const r of runsQ.all(json)) {
        byId.set(r.run_uuid, {
          info: { run_id: r.run_uuid, run_uuid: r.run_uuid, run_name: r.name, experiment_id: String(r.experiment_id), user_id: r.user_id, status: r.status, start_time: r.start_time, artifact_uri: r.artifact_uri, lifecycle_stage: r.lifecycle_stage },
          data: { metrics: [], params: [], tags: [] },
          inputs: {},
        });
      }
      for (const p of paramsQ.all(json)) byId.get(p.run_uuid).data.params.push({ key: p.key, value: p.value });
      for (const t of tagsQ.all(json)) byId.get(t.run_uuid).data.tags.push({ key: t.key, value: t.value });
      for (const m of metricsQ.all(json)) byId.get(m.run_uuid).data.metrics.push({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step });
      return JSON.stringify({ runs: chosen.map((id) => byId.get(id)) });
    });
    return { ids, selection, full };
  } finally {
    db.close();
  }
}

/**
 * The service in this process, with better-sqlite3's statements wrapped to time each one: the
 * SQL share of a search, statement by statement, and the plans SQLite chose for them.
 */
async function inProcessBreakdown(dbFile, experimentId) {
  const { db, raw } = openSqlite(dbFile);
  const statements = new Map();
  const originalPrepare = raw.prepare.bind(raw);
  raw.prepare = (text) => {
    const stmt = originalPrepare(text);
    const entry = { sql: text, ms: [], params: null };
    statements.set(text, entry);
    for (const method of ['all', 'run', 'get', 'iterate']) {
      const original = stmt[method].bind(stmt);
      stmt[method] = (...args) => {
        const t = performance.now();
        const out = original(...args);
        entry.ms.push(performance.now() - t);
        entry.params ??= args;
        return out;
      };
    }
    return stmt;
  };
  const tracking = new TrackingService(new SqlTrackingStore(db, 'sqlite'));
  try {
    const search = () => tracking.searchRuns({ experimentIds: [experimentId], filter: FILTER, orderBy: ORDER_BY, maxResults: MAX_RESULTS });
    await search(); // warm: prepares statements
    for (const s of statements.values()) s.ms.length = 0;
    const total = [];
    const serialise = [];
    const repeats = 15;
    for (let i = 0; i < repeats; i++) {
      const t = performance.now();
      const page = await search();
      const t2 = performance.now();
      // The wire mapping and JSON.stringify the HTTP route adds, measured apart.
      JSON.stringify({ runs: page.items.map(runToWire) });
      total.push(t2 - t);
      serialise.push(performance.now() - t2);
    }
    const perStatement = [...statements.values()]
      .filter((s) => s.ms.length)
      .map((s) => ({
        sql: s.sql.length > 240 ? `${s.sql.slice(0, 240)}…` : s.sql,
        median_ms: latencySummary(s.ms).p50,
        plan: s.params ? originalPrepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.params).map((r) => r.detail) : null,
      }))
      .sort((a, b) => b.median_ms - a.median_ms);
    const sqlMedian = perStatement.reduce((a, s) => a + s.median_ms, 0);
    const totalSummary = latencySummary(total);
    return {
      service_search_ms: totalSummary,
      sql_ms_sum_of_statement_medians: round(sqlMedian),
      js_outside_sql_ms_p50: round(totalSummary.p50 - sqlMedian),
      wire_mapping_and_json_stringify_ms: latencySummary(serialise),
      statements: perStatement,
    };
  } finally {
    await db.destroy();
  }
}

async function httpLoad(home, experimentId, measureSeconds) {
  const server = await startServer(home);
  const client = createClient(server.port);
  try {
    let requests = 0;
    /** Trailing spaces make each request distinct for the response cache; the parser ignores them. */
    const uncachedBody = () => JSON.stringify({ experiment_ids: [experimentId], filter: FILTER + ' '.repeat(++requests), order_by: ORDER_BY, max_results: MAX_RESULTS });
    const cachedBody = JSON.stringify({ experiment_ids: [experimentId], filter: FILTER, order_by: ORDER_BY, max_results: MAX_RESULTS });
    const once = async (body) => {
      const res = await client.request('POST', '/api/2.0/mlflow/runs/search', body);
      if (res.status !== 200) throw new Error(`runs/search → ${res.status}: ${res.error}`);
      return res;
    };
    // Check the answer once: 1000 runs, all with m0 > 0.5, in descending m1.
    const check = await client.request('POST', '/api/2.0/mlflow/runs/search', cachedBody, { json: true });
    const runs = check.body.runs ?? [];
    const metric = (run, key) => run.data.metrics.find((m) => m.key === key)?.value;
    if (runs.length !== MAX_RESULTS) throw new Error(`runs/search returned ${runs.length} runs, expected ${MAX_RESULTS}`);
    if (!runs.every((r) => metric(r, 'm0') > 0.5)) throw new Error('runs/search returned a run with m0 <= 0.5');
    if (!runs.every((r, i) => i === 0 || metric(runs[i - 1], 'm1') >= metric(r, 'm1'))) throw new Error('runs/search is not ordered by m1 DESC');
    const responseBytes = check.bytes;
    const firstIds = runs.map((r) => r.info.run_id);

    for (let i = 0; i < 3; i++) await once(uncachedBody()); // warm-up
    const load = { server, client, once, sequentialCount: SEQUENTIAL, clients: CLIENTS, seconds: measureSeconds, perClient: PER_CLIENT };
    return { response_bytes: responseBytes, first_ids: firstIds, ...(await readLoads(load, { uncached: uncachedBody, cached: () => cachedBody })) };
  } finally {
    client.close();
    await server.stop();
  }
}

export async function run() {
  const measureSeconds = seconds(10);
  const runCount = Number(process.env.BENCH_SEARCH_RUNS ?? 25_000);
  const machine = machineInfo();
  return withTempDir('search-runs', async (dir) => {
    const home = path.join(dir, 'gyre-home');
    const dbFile = path.join(home, 'gyre.db');
    log(`search-runs: seeding ${runCount} runs × (10 params + 10 metrics) through TrackingService`);
    const t0 = performance.now();
    const experimentId = await seed(home, runCount);
    const seedSeconds = round((performance.now() - t0) / 1000, 1);
    log(`search-runs: seeded in ${seedSeconds}s; raw better-sqlite3 baselines`);
    const raw = rawBaselines(dbFile, experimentId);
    log('search-runs: in-process breakdown');
    const breakdown = await inProcessBreakdown(dbFile, experimentId);
    log(`search-runs: over HTTP, 1 client × ${SEQUENTIAL}, then ${CLIENTS} clients for ≤${measureSeconds}s or ${PER_CLIENT} requests each`);
    const http = await httpLoad(home, experimentId, measureSeconds);
    const sameIds = http.first_ids.length === raw.ids.length && http.first_ids.every((id, i) => id === raw.ids[i]);
    const rawP50 = raw.selection.p50;
    const ratio = round(rawP50 / http.single_client.p50, 4);
    return {
      bench: 'search-runs',
      what: `POST /api/2.0/mlflow/runs/search {filter: "${FILTER}", order_by: ${JSON.stringify(ORDER_BY)}, max_results: ${MAX_RESULTS}} over ${runCount} runs (10 params, 10 metrics, 2 tags each), embedded SQLite, server in its own process`,
      machine,
      config: { runs: runCount, clients: CLIENTS, max_per_client: PER_CLIENT, cap_s: measureSeconds, seed_s: seedSeconds },
      gyre: {
        response_bytes: http.response_bytes,
        same_runs_in_same_order_as_baseline: sameIds,
        single_client_ms: http.single_client,
        clients_20_ms: http.clients_20,
        single_client_cached_ms: http.single_client_cached,
        clients_20_cached_ms: http.clients_20_cached,
        cached_note: 'the same request repeated: answered from the response cache (valid until the next write), no SQL',
      },
      baseline: { name: 'one SELECT run_uuid … JOIN latest_metrics … ORDER BY … LIMIT 1000 on better-sqlite3, one client, no HTTP', sql: BASELINE_SQL, ms: raw.selection },
      ratio,
      ratio_definition: 'raw SQL p50 ÷ Gyre single-client p50 (1.0 = as fast as the bare SQL selection; it returns only ids, Gyre returns whole runs)',
      ratio_throughput: round(http.clients_20.requests_per_s / (1000 / raw.selection.mean), 4),
      ratio_throughput_definition: 'Gyre req/s with 20 clients ÷ raw selections/s in one thread',
      decomposition: {
        raw_full_payload_ms: raw.full,
        raw_full_payload_note: 'better-sqlite3: the selection + runs/params/tags/latest_metrics of the 1000 runs + MLflow-shaped JSON.stringify, one thread, no HTTP — a floor for the whole job',
        ratio_full_payload: round(raw.full.p50 / http.single_client.p50, 3),
        in_process_service: breakdown,
      },
      goals: {
        p50_ms_single_client: goal(http.single_client.p50, '<=', 50),
        p50_ms_20_clients: goal(http.clients_20.p50, '<=', 50),
        p50_ms_20_clients_cached: goal(http.clients_20_cached.p50, '<=', 50),
      },
      anchors_ms_1000_runs_of_23_5k_20_clients: { 'MLflow (stock)': 1000, FastTrackML: 20, 'mlflow-go': 104 },
    };
  });
}

mainOf(import.meta.url, run);
