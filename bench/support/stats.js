/** Small helpers shared by the benchmarks: percentiles, rounding, temp dirs, output. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export const round = (x, digits = 2) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));

/** p50/p95/p99/mean/max of latencies in ms. */
export function latencySummary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), p99: round(percentile(s, 99)), mean: round(mean), max: round(s[s.length - 1] ?? null) };
}

export const seconds = (fallback) => {
  const v = Number(process.env.BENCH_SECONDS);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** A fresh temp dir for one benchmark, removed afterwards whatever happens. */
export async function withTempDir(prefix, fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gyre-bench-${prefix}-`));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const log = (...args) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

/** True when `importMetaUrl` is the script node was started with. */
export const isMain = (importMetaUrl) => Boolean(process.argv[1]) && pathToFileURL(process.argv[1]).href === importMetaUrl;

/** Standalone entry: run, print the JSON result on stdout, exit non-zero on failure. */
export function mainOf(importMetaUrl, run) {
  if (!isMain(importMetaUrl)) return;
  run()
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    })
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}

export const goal = (value, op, target) => ({ target: `${op} ${target}`, value, met: value !== null && (op === '>=' ? value >= target : value <= target) });

/**
 * Whole-machine CPU busy time in ms from /proc/stat (Linux; null elsewhere). Other processes on
 * the machine (a test run, a build) share the 2 cores with the benchmark: subtracting our own
 * processes' CPU from this shows how much they took, so a noisy figure can be recognised as such.
 */
export function machineBusyMs() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = line;
    return ((user + nice + system + irq + softirq + steal) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export function machineInfo() {
  return { cpus: os.cpus().length, node: process.version, loadavg_1m_at_start: round(os.loadavg()[0]) };
}

/**
 * Runs `clients` loops of `fn(clientIndex, n)` back to back until `seconds` pass or each has done
 * `maxPerClient` calls. `fn` resolves to a latency in ms. Returns all latencies and the span.
 */
export async function closedLoop({ clients, seconds: limitSeconds, maxPerClient = Infinity, fn }) {
  const t0 = performance.now();
  const end = t0 + limitSeconds * 1000;
  const latencies = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 0; n < maxPerClient && performance.now() < end; n++) latencies.push(await fn(c, n));
    }),
  );
  const spanS = (performance.now() - t0) / 1000;
  return { latencies, spanS, perSecond: latencies.length / spanS };
}

/** Measures CPU while `fn` runs: ours, the server's (via its usage()), and the rest of the machine's. */
export async function withCpuAccounting(server, fn) {
  const m0 = machineBusyMs();
  const c0 = process.cpuUsage();
  const s0 = server ? await server.usage() : null;
  const t0 = performance.now();
  const result = await fn();
  const wall = performance.now() - t0;
  const s1 = server ? await server.usage() : null;
  const c = process.cpuUsage(c0);
  const m1 = machineBusyMs();
  const clientMs = (c.user + c.system) / 1000;
  const serverMs = s1 ? s1.cpuMs - s0.cpuMs : 0;
  const cpu = {
    wall_ms: Math.round(wall),
    client_cpu_ms: Math.round(clientMs),
    ...(s1 ? { server_cpu_ms: Math.round(serverMs) } : {}),
    client_cpu_pct_of_one_core: Math.round((clientMs / wall) * 100),
    ...(s1 ? { server_cpu_pct_of_one_core: Math.round((serverMs / wall) * 100), server_event_loop_busy_pct: eluPct(s0, s1) } : {}),
    other_processes_cpu_pct_of_one_core: m0 === null ? null : Math.max(0, Math.round(((m1 - m0 - clientMs - serverMs) / wall) * 100)),
    ...(s1 ? { server_side_request_ms: latencySummary(s1.serverMs) } : {}),
  };
  return { result, cpu };
}

function eluPct(a, b) {
  const idle = b.elu.idle - a.elu.idle;
  const active = b.elu.active - a.elu.active;
  return Math.round((active / (active + idle || 1)) * 100);
}

/**
 * The read loads the read benches run, for a request target (`uncached()` makes a request the
 * read cache cannot answer, `cached()` one it can): one client in sequence, then `clients`
 * clients in a closed loop with the server's CPU accounted, each for both targets. Keep-alive
 * connections are opened first, while the server is idle, so the many-client figures are not
 * coloured by connection set-up behind a saturated event loop.
 */
export async function readLoads({ server, client, once, sequentialCount, clients, seconds: limitSeconds, perClient }, { uncached, cached }) {
  const sequential = async (target) => {
    const ms = [];
    for (let i = 0; i < sequentialCount; i++) ms.push((await once(target())).ms);
    return latencySummary(ms);
  };
  const concurrent = async (target) => {
    const { result, cpu } = await withCpuAccounting(server, () =>
      closedLoop({ clients, seconds: limitSeconds, maxPerClient: perClient, fn: async () => (await once(target())).ms }),
    );
    const perRequestCpu = round(cpu.server_cpu_ms / result.latencies.length, 1);
    return { ...latencySummary(result.latencies), requests_per_s: round(result.perSecond, 2), span_s: round(result.spanS, 1), server_cpu_ms_per_request: perRequestCpu, cpu };
  };
  await Promise.all(Array.from({ length: clients }, () => client.request('GET', '/health')));
  return {
    single_client: await sequential(uncached),
    clients_20: await concurrent(uncached),
    single_client_cached: await sequential(cached),
    clients_20_cached: await concurrent(cached),
  };
}
