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
