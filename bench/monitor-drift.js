/**
 * Drift against a stored reference profile (issue 8): 20 columns (14 numeric, 6 categorical),
 * reference 1,000,000 rows fitted once into a profile and stored in the monitoring store (embedded
 * SQLite, read back from there), then
 *   - a current window of 1,000,000 rows scored against it: goal ≤ 3 s, peak RSS reported,
 *     per-column progress on a terminal;
 *   - one 10,000-row window scored against it: goal ≤ 100 ms (median of repeats).
 * Baseline, same run, same data: the existing raw drift report (driftReport), which needs the raw
 * reference every time. Env: BENCH_ROWS (default 1,000,000), BENCH_REPEATS (default 20).
 */
import os from 'node:os';
import { fitProfile } from '../dist/monitoring/profiles/fit-profile.js';
import { scoreProfile } from '../dist/monitoring/profiles/score-profile.js';
import { driftReport } from '../dist/monitoring/drift/drift-report.js';
import { openSqlDatabase } from '../dist/stores/sql-database.js';
import { SqlMonitoringStore } from '../dist/stores/sql/sql-monitoring-store.js';
import { goal, latencySummary, log, machineInfo, mainOf, round, withTempDir } from './support/stats.js';

const NUMERIC = 14;
const CATEGORICAL = 6;
const CATEGORIES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Half the numeric columns continuous, half rounded to 2 decimals (like the bike data); every third column shifted in current. */
function table(rows, seed, shifted) {
  const r = rng(seed);
  const columns = {};
  const kinds = {};
  for (let c = 0; c < NUMERIC; c++) {
    const col = new Array(rows);
    const shift = shifted && c % 3 === 0 ? 0.5 : 0;
    for (let i = 0; i < rows; i++) {
      const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()) + shift;
      col[i] = c % 2 === 0 ? z * 10 + c : Math.round(z * 100) / 100;
    }
    columns[`num_${c}`] = col;
    kinds[`num_${c}`] = 'numeric';
  }
  for (let c = 0; c < CATEGORICAL; c++) {
    const col = new Array(rows);
    for (let i = 0; i < rows; i++) col[i] = CATEGORIES[Math.floor((shifted && c % 3 === 0 ? r() : r() * r()) * CATEGORIES.length)];
    columns[`cat_${c}`] = col;
    kinds[`cat_${c}`] = 'categorical';
  }
  return { columns, kinds };
}

const schemaOf = (kinds) => Object.entries(kinds).map(([name, k]) => ({ name, type: k === 'numeric' ? 'number' : 'string' }));
const peakRssMb = () => round(process.resourceUsage().maxRSS / 1024, 0);
const slice = (columns, from, to) => Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.slice(from, to)]));

export async function run() {
  const rows = Number(process.env.BENCH_ROWS) || 1_000_000;
  const repeats = Number(process.env.BENCH_REPEATS) || 20;
  log(`generating reference and current: ${rows} rows × ${NUMERIC + CATEGORICAL} columns each`);
  const ref = table(rows, 1, false);
  const cur = table(rows, 2, true);
  const rssAfterData = peakRssMb();

  let t0 = performance.now();
  const fitted = fitProfile({ source: 'bench-reference', kinds: ref.kinds, columns: ref.columns });
  const fitS = (performance.now() - t0) / 1000;
  const stored = JSON.stringify(fitted);
  t0 = performance.now();
  const profile = await withTempDir('monitor-drift', async (dir) => {
    const sql = await openSqlDatabase(`sqlite:${dir}/gyre.db`, dir);
    try {
      const store = new SqlMonitoringStore(sql.db);
      await store.saveProfile({ id: 'bench', name: 'bench-reference', source: fitted.source, rowCount: fitted.rowCount, createdAt: Date.now(), profile: fitted });
      return (await store.getProfile('bench-reference')).profile;
    } finally {
      await sql.close();
    }
  });
  const storeS = (performance.now() - t0) / 1000;
  log(`profile fitted in ${fitS.toFixed(2)} s, ${(stored.length / 1e6).toFixed(2)} MB, stored and read back in ${storeS.toFixed(2)} s`);

  const tty = process.stderr.isTTY;
  const progress = (done, total, column) => {
    if (tty) process.stderr.write(`\r  scoring ${done}/${total} columns (${column})        `);
  };
  t0 = performance.now();
  const report = scoreProfile(profile, cur.columns, { onProgress: progress });
  const scoreS = (performance.now() - t0) / 1000;
  if (tty) process.stderr.write('\n');
  const peakScore = peakRssMb();
  log(`${rows}-row window scored in ${scoreS.toFixed(2)} s: ${report.columns.filter((c) => c.drifted).length}/${report.columns.length} columns drifted`);

  const window = slice(cur.columns, 0, 10_000);
  scoreProfile(profile, window);
  const windowMs = [];
  for (let i = 0; i < repeats; i++) {
    const s = performance.now();
    scoreProfile(profile, window);
    windowMs.push(performance.now() - s);
  }
  const win = latencySummary(windowMs);
  log(`10k-row window: p50 ${win.p50} ms`);

  // Baseline: the raw drift report, reading the raw reference each time.
  const schema = schemaOf(ref.kinds);
  t0 = performance.now();
  const raw = driftReport({ label: 'ref', schema, columns: ref.columns }, { label: 'cur', schema, columns: cur.columns });
  const rawS = (performance.now() - t0) / 1000;
  log(`raw drift report ${rows} vs ${rows}: ${rawS.toFixed(2)} s`);
  const rawWinMs = [];
  for (let i = 0; i < Math.min(3, repeats); i++) {
    const s = performance.now();
    driftReport({ label: 'ref', schema, columns: ref.columns }, { label: 'cur', schema, columns: window });
    rawWinMs.push(performance.now() - s);
  }
  const rawWin = latencySummary(rawWinMs);
  const verdictsAgree = report.columns.every((c, i) => raw.columns[i].column === c.column && raw.columns[i].drifted === c.drifted && raw.columns[i].method === c.method);

  return {
    bench: 'monitor-drift',
    machine: { ...machineInfo(), loadavg_1m_at_end: round(os.loadavg()[0]) },
    rows,
    columns: { numeric: NUMERIC, categorical: CATEGORICAL },
    gyre: {
      fit_profile_s: round(fitS, 2),
      stored_profile_mb: round(stored.length / 1e6, 2),
      store_and_load_profile_s: round(storeS, 2),
      score_1m_window_s: round(scoreS, 3),
      score_10k_window_ms: win,
      drifted_columns: report.columns.filter((c) => c.drifted).length,
      dataset_drift: report.drifted,
      peak_rss_mb_after_data: rssAfterData,
      peak_rss_mb_after_scoring: peakScore,
      verdicts_agree_with_raw_report: verdictsAgree,
    },
    baseline: {
      name: 'existing raw driftReport on the same data (re-reads the raw reference)',
      report_1m_vs_1m_s: round(rawS, 2),
      report_1m_vs_10k_ms: rawWin,
      peak_rss_mb_at_end: peakRssMb(),
    },
    ratio: { score_1m_speedup: round(rawS / scoreS, 1), score_10k_speedup: round(rawWin.p50 / win.p50, 1) },
    goals: { score_1m_window_s: goal(round(scoreS, 3), '<=', 3), score_10k_window_ms_p50: goal(win.p50, '<=', 100) },
  };
}

mainOf(import.meta.url, run);
