/**
 * `data add` (read + type + profile + store) and validation of a 15-expectation suite on a generated
 * 1,000,000-row × 20-column CSV (1 id, 9 numeric, 10 categorical columns), then `data add` of a
 * file 10× larger in a child process to show peak memory stays bounded (DuckDB's memory limit,
 * spilling to disk). Baseline, same run: DuckDB alone, `SELECT count(*) FROM read_csv(file)`.
 *
 * Env: BENCH_DATA_ROWS (default 1000000), BENCH_DATA_LARGE=0 to skip the 10× file (it takes a few
 * minutes and ~1.2 GB of temp disk), BENCH_DATA_MEMORY_LIMIT (DuckDB's limit, default 2GB as in
 * Gyre): peak RSS on the 10× file should follow this limit, not the file size.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { openStores } from '../dist/stores/open-stores.js';
import { DataService } from '../dist/data/data-service.js';
import { suite } from '../dist/data/suite-builder.js';
import { goal, log, machineInfo, mainOf, round, withTempDir } from './support/stats.js';

const ROWS = Number(process.env.BENCH_DATA_ROWS ?? 1_000_000);
const LARGE = process.env.BENCH_DATA_LARGE !== '0';
const MEMORY_LIMIT = process.env.BENCH_DATA_MEMORY_LIMIT ?? '2GB';
const CATS = ['red', 'green', 'blue', 'amber', 'violet', 'cyan', 'olive', 'teal'];
const COUNTRIES = ['US', 'DE', 'FR', 'IN', 'BR', 'JP', 'NG', 'MX', 'CA', 'ES', 'IT', 'KR'];

/** Deterministic rows (xorshift PRNG), written in 10,000-line chunks. */
async function generateCsv(file, rows, seed = 1) {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const header = ['id', ...Array.from({ length: 9 }, (_, i) => `x${i + 1}`), ...Array.from({ length: 10 }, (_, i) => `c${i + 1}`)];
  const out = fs.createWriteStream(file);
  const write = (chunk) => (out.write(chunk) ? Promise.resolve() : new Promise((r) => out.once('drain', r)));
  await write(`${header.join(',')}\n`);
  for (let start = 0; start < rows; start += 10_000) {
    let chunk = '';
    for (let i = start; i < Math.min(rows, start + 10_000); i++) {
      let line = String(i + 1);
      for (let k = 1; k <= 9; k++) line += `,${k % 3 === 0 ? Math.floor(rnd() * 1000) : (rnd() * 100 * k).toFixed(3)}`;
      for (let k = 1; k <= 10; k++) line += `,${k % 2 ? CATS[Math.floor(rnd() * CATS.length)] : COUNTRIES[Math.floor(rnd() * COUNTRIES.length)]}`;
      chunk += `${line}\n`;
    }
    await write(chunk);
  }
  await new Promise((r) => out.end(r));
}

const SUITE = suite('bench')
  .columnSet(['id', ...Array.from({ length: 9 }, (_, i) => `x${i + 1}`), ...Array.from({ length: 10 }, (_, i) => `c${i + 1}`)])
  .columnType('id', 'integer')
  .columnType('x1', 'number')
  .unique('id')
  .notNull('x1')
  .notNull('c1')
  .notNull('c2', { mostly: 0.99 })
  .between('x1', { min: 0, max: 100 })
  .between('x3', { min: 0, max: 999 })
  .inSet('c1', CATS)
  .inSet('c2', COUNTRIES)
  .matches('c4', '^[A-Z]{2}$')
  .rowCountBetween({ min: 1 })
  .meanBetween('x2', { min: 90, max: 110 })
  .quantileBetween('x4', 0.5, { min: 150, max: 250 })
  .build();

async function duckdbCount(file) {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const t0 = performance.now();
  const rows = (await conn.runAndReadAll(`SELECT count(*) AS n FROM read_csv('${file}')`)).getRowObjectsJson()[0].n;
  const ms = performance.now() - t0;
  conn.closeSync();
  instance.closeSync();
  return { ms, rows: Number(rows) };
}

/** Child-process phase: one add (and optionally a validation) on a fresh home; prints JSON. */
async function childPhase(file, home, validate) {
  const stores = await openStores({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
  const services = { data: new DataService(stores.datasets, stores.artifacts, { memoryLimit: MEMORY_LIMIT }) };
  try {
    const t0 = performance.now();
    const { version } = await services.data.add({ name: 'bench', source: file });
    const addMs = performance.now() - t0;
    let validateMs = null;
    let success = null;
    if (validate) {
      const t1 = performance.now();
      const report = await services.data.validate('bench@1', SUITE);
      validateMs = performance.now() - t1;
      success = report.success;
    }
    return { addMs, validateMs, success, rows: version.rowCount, columns: version.schema.length, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await stores.close();
  }
}

function runChild(file, home, validate) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', file, home, validate ? '1' : '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
  });
}

async function run() {
  return withTempDir('data-add', async (dir) => {
    const file = path.join(dir, 'bench.csv');
    log(`generating ${ROWS.toLocaleString('en')} × 20 CSV`);
    await generateCsv(file, ROWS);
    const sizeMb = fs.statSync(file).size / 1e6;
    log(`DuckDB count(*) baseline on ${round(sizeMb, 1)} MB`);
    await duckdbCount(file); // warm the page cache so both sides read from memory
    const base = await duckdbCount(file);
    log('gyre data add + validate');
    const gyre = await runChild(file, path.join(dir, 'home'), true);
    let large = null;
    if (LARGE) {
      const big = path.join(dir, 'bench-10x.csv');
      log(`generating ${(ROWS * 10).toLocaleString('en')}-row CSV`);
      await generateCsv(big, ROWS * 10, 7);
      const bigMb = fs.statSync(big).size / 1e6;
      fs.rmSync(file);
      log('gyre data add on the 10× file');
      const r = await runChild(big, path.join(dir, 'home-10x'), false);
      large = { rows: r.rows, file_mb: round(bigMb, 1), duckdb_memory_limit: MEMORY_LIMIT, add_s: round(r.addMs / 1000, 2), rows_per_s: Math.round(r.rows / (r.addMs / 1000)), peak_rss_mb: round(r.peakRssMb, 0) };
    }
    return {
      bench: 'data-add',
      machine: machineInfo(),
      data: { rows: ROWS, columns: 20, file_mb: round(sizeMb, 1) },
      gyre: {
        add_with_profile_s: round(gyre.addMs / 1000, 2),
        add_rows_per_s: Math.round(gyre.rows / (gyre.addMs / 1000)),
        validate_15_expectations_s: round(gyre.validateMs / 1000, 2),
        validate_rows_per_s: Math.round(gyre.rows / (gyre.validateMs / 1000)),
        suite_passed: gyre.success,
        peak_rss_mb: round(gyre.peakRssMb, 0),
      },
      baseline: { what: "DuckDB alone: SELECT count(*) FROM read_csv(file), same file, same run", s: round(base.ms / 1000, 3), rows_per_s: Math.round(base.rows / (base.ms / 1000)) },
      ratio: round(gyre.addMs / base.ms, 2),
      ratio_definition: 'Gyre data add (hash, read, type, profile, store bytes, record) ÷ DuckDB count(*) alone',
      ratio_validate: round(gyre.validateMs / base.ms, 2),
      large_10x: large ?? 'skipped (BENCH_DATA_LARGE=0)',
      goals: {
        add_with_profile_s: goal(round(gyre.addMs / 1000, 2), '<=', 5),
        validate_15_expectations_s: goal(round(gyre.validateMs / 1000, 2), '<=', 3),
      },
    };
  });
}

if (process.argv[2] === '--generate') {
  // `node bench/data-add.js --generate out.csv 1000000`: the same file, for profiling by hand.
  generateCsv(process.argv[3], Number(process.argv[4] ?? ROWS));
} else if (process.argv[2] === '--child') {
  childPhase(process.argv[3], process.argv[4], process.argv[5] === '1')
    .then((r) => process.stdout.write(JSON.stringify(r)))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
} else {
  mainOf(import.meta.url, run);
}
