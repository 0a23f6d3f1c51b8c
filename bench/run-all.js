/**
 * Runs every benchmark (tracking server, trainers) in sequence, each in its own Node process (so one bench's
 * heap and open handles cannot colour the next; each creates and removes its own temp dir), and
 * prints one JSON summary: a short table of figures, goals and ratios, then the full reports.
 *
 * Usage: npm run bench        (builds first)
 *        node bench/run-all.js [name …]   e.g. `node bench/run-all.js search-runs`
 * Env is passed through (BENCH_SECONDS, BENCH_SERVER_PROF, …); see each bench file.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ALL = ['log-batch', 'search-runs', 'metric-history', 'data-add', 'serving', 'train-gbdt', 'train-search', 'monitor-drift', 'monitor-replay', 'pipelines'];

function runBench(name) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(HERE, `${name}.js`)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${name} exited with code ${code}`));
      try {
        resolve(JSON.parse(out));
      } catch (err) {
        reject(new Error(`${name} printed no JSON: ${err.message}\n${out.slice(0, 500)}`));
      }
    });
  });
}

/**
 * One line per figure a reader looks for first. `other_processes_cpu_pct_during_load` is CPU the
 * rest of the machine used meanwhile (100 = one of the 2 cores): high values mean a noisy figure.
 */
function headline(r) {
  const goals = Object.fromEntries(Object.entries(r.goals).map(([k, g]) => [k, `${g.value} (goal ${g.target}: ${g.met ? 'met' : 'MISSED'})`]));
  switch (r.bench) {
    case 'data-add':
      return {
        add_with_profile_s: r.gyre.add_with_profile_s,
        add_rows_per_s: r.gyre.add_rows_per_s,
        validate_15_expectations_s: r.gyre.validate_15_expectations_s,
        baseline_duckdb_count_s: r.baseline.s,
        ratio: r.ratio,
        ratio_validate: r.ratio_validate,
        peak_rss_mb: r.gyre.peak_rss_mb,
        large_10x: r.large_10x,
        goals,
      };
    case 'serving':
      return {
        bare_requests_per_s: r.baseline.bare_single_row.requests_per_s,
        oip_single_row_per_s: { batching_off: r.gyre.oip_single_row_batching_off.requests_per_s, batching_on: r.gyre.oip_single_row_batching_on.requests_per_s, logging_off: r.gyre.oip_single_row_batching_on_logging_off.requests_per_s },
        records_per_s: r.gyre.records_single_row_batching_on.requests_per_s,
        rows_per_s_1000_row_batches: r.gyre.oip_1000_row_batches.rows_per_s,
        p99_ms_at_half_peak: r.gyre.p99_at_half_peak.latency_ms.p99,
        server_cpu_us_per_request: r.server_cpu_us_per_request_each_round,
        goals,
      };
    case 'monitor-drift':
      return { score_1m_window_s: r.gyre.score_1m_window_s, score_10k_window_ms_p50: r.gyre.score_10k_window_ms.p50, peak_rss_mb: r.gyre.peak_rss_mb_after_scoring, raw_report_1m_s: r.baseline.report_1m_vs_1m_s, ratio: r.ratio, goals };
    case 'monitor-replay':
      return { hours: r.hours, replay_with_monitor_s: r.gyre.replay_with_monitor_s, run_due_total_s: r.gyre.run_due_total_s, first_raised: r.gyre.first_raised, ratio: r.ratio, goals };
    case 'train-gbdt':
      return {
        gyre_fit_s_median: r.gyre.fit_s_median,
        iterations: r.gyre.iterations,
        test_accuracy: r.gyre.test_accuracy,
        test_roc_auc: r.gyre.test_roc_auc,
        bike_sharing_rmse: r.gyre.bike_sharing_rmse,
        sklearn_fit_s_published: r.baseline.fit_s,
        ratio: r.ratio,
        goals,
      };
    case 'train-search':
      return {
        onnx_rows_per_s_1_and_2_threads: [r.gyre.onnx_prediction_numeric_bike.onnx_rows_per_s, r.gyre.onnx_prediction_numeric_bike.onnx_rows_per_s_two_threads],
        in_process_rows_per_s: r.gyre.onnx_prediction_numeric_bike.typescript_rows_per_s,
        string_inputs_rows_per_s_1_and_2_threads: [r.gyre.onnx_prediction_with_string_inputs_adult.onnx_rows_per_s, r.gyre.onnx_prediction_with_string_inputs_adult.onnx_rows_per_s_two_threads],
        search_s_1_and_2_threads: [r.gyre.search_two_threads.one_thread_s, r.gyre.search_two_threads.two_threads_s],
        ratio: r.ratio,
        goals,
      };
    case 'pipelines':
      return { executed_ms_per_step: r.gyre.executed_ms_per_step, cached_ms_per_step: r.gyre.cached_ms_per_step, baseline_ms_per_step: r.baseline.ms_per_step, ratio: r.ratio, distributed: typeof r.distributed === 'object' ? { steps_per_s: r.distributed.gyre.steps_per_s, raw_bullmq_jobs_per_s_bulk_and_each: [r.distributed.baseline.jobs_per_s, r.distributed.baseline_each.jobs_per_s], ratio: r.distributed.ratio, ratio_by_round: r.distributed.ratio_by_round, cpu_ms_per_1000_steps: r.distributed.gyre.cpu_ms_per_1000_steps } : r.distributed, goals };
    case 'log-batch':
      return {
        gyre_points_per_s: r.gyre.points_per_s,
        gyre_batches_per_s: r.gyre.batches_per_s,
        gyre_latency_ms_p50_p95_p99: [r.gyre.latency_ms.p50, r.gyre.latency_ms.p95, r.gyre.latency_ms.p99],
        baseline_points_per_s: r.baseline.points_per_s,
        in_process_service_points_per_s: r.decomposition.in_process_service.points_per_s,
        ratio: r.ratio,
        goals,
        server_cpu_ms_per_batch: r.gyre.server_cpu_ms_per_batch,
        other_processes_cpu_pct_during_load: r.gyre.cpu?.other_processes_cpu_pct_of_one_core ?? null,
      };
    default:
      return {
        gyre_single_client_ms_p50_p95: [r.gyre.single_client_ms.p50, r.gyre.single_client_ms.p95],
        gyre_20_clients_ms_p50_p95: [r.gyre.clients_20_ms.p50, r.gyre.clients_20_ms.p95],
        gyre_20_clients_req_per_s: r.gyre.clients_20_ms.requests_per_s,
        ...(r.gyre.clients_20_cached_ms ? { gyre_cached_ms_p50_single_and_20_clients: [r.gyre.single_client_cached_ms.p50, r.gyre.clients_20_cached_ms.p50] } : {}),
        baseline_ms_p50_p95: [r.baseline.ms.p50, r.baseline.ms.p95],
        ratio: r.ratio,
        ratio_throughput: r.ratio_throughput,
        goals,
        server_cpu_ms_per_request: r.gyre.clients_20_ms.server_cpu_ms_per_request,
        other_processes_cpu_pct_during_load: r.gyre.clients_20_ms.cpu?.other_processes_cpu_pct_of_one_core ?? null,
      };
  }
}

async function main() {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
  const unknown = names.filter((n) => !ALL.includes(n));
  if (unknown.length) throw new Error(`Unknown bench ${unknown.join(', ')}; choose from ${ALL.join(', ')}.`);
  const t0 = performance.now();
  const reports = [];
  for (const name of names) {
    console.error(`[run-all] ${name}`);
    reports.push(await runBench(name));
  }
  const summary = {
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
    total_s: Math.round((performance.now() - t0) / 100) / 10,
    headline: Object.fromEntries(reports.map((r) => [r.bench, headline(r)])),
    reports,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
