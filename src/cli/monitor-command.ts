/**
 * `gyre monitor ...`: drift between two datasets, reference profiles, monitors over deployments,
 * their results and alerts, and the HTML report. Monitors work on the local stores (GYRE_HOME /
 * GYRE_DATABASE_URL); against a remote server use the REST API /api/v1/monitors.
 */
import type { Command } from 'commander';
import { parseSuiteText } from '../data/suite-parser.js';
import type { ExpectationSuite } from '../data/expectations.js';
import { withGyre, printJson } from './context.js';
import { table } from './format.js';
import { driftReport } from '../monitoring/drift/drift-report.js';
import type { ColumnDriftOptions, DriftMethod } from '../monitoring/drift/column-drift.js';
import { DataService } from '../data/data-service.js';
import { invalidArgument } from '../core/errors.js';
import fs from 'node:fs';
import { openServices } from '../services.js';
import { resolveConfig } from '../core/config.js';
import { globalOptions } from './context.js';
import { time } from './format.js';
import type { MonitoringService } from '../monitoring/monitoring-service.js';
import type { MonitorSpec } from '../monitoring/monitors/entities.js';
import { parseDuration, parseRule, parseTime } from '../monitoring/monitors/rule-text.js';
import { monitorReport } from '../monitoring/report/monitor-report.js';
import { scoreProfile } from '../monitoring/profiles/score-profile.js';
import type { Services } from '../services.js';

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** `temp=psi` or `temp=psi:0.2`. */
function perColumn(specs: string[] = []): Record<string, ColumnDriftOptions> {
  const out: Record<string, ColumnDriftOptions> = {};
  for (const s of specs) {
    const m = /^([^=]+)=([a-z_]+)(?::([\d.]+))?$/.exec(s);
    if (!m) throw invalidArgument(`--test '${s}' is not COLUMN=METHOD[:THRESHOLD], e.g. temp=psi:0.2.`, { field: 'test' });
    out[m[1]!] = { method: m[2] as DriftMethod, ...(m[3] ? { threshold: Number(m[3]) } : {}) };
  }
  return out;
}

async function withLocalServices<T>(cmd: Command, fn: (s: Services) => Promise<T>): Promise<T> {
  const opts = globalOptions(cmd);
  if (opts.url || process.env.GYRE_URL) throw invalidArgument('gyre monitor works on the local stores (GYRE_HOME / GYRE_DATABASE_URL); against a remote server use the REST API /api/v1/monitors.', {});
  const services = await openServices(resolveConfig({ ...(opts.home ? { home: opts.home } : {}), remoteUrl: null }));
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

const withMonitoring = <T>(cmd: Command, fn: (m: MonitoringService) => Promise<T>): Promise<T> => withLocalServices(cmd, (s) => fn(s.monitoring));

type DriftRow = { column: string; method: string; score: number; scoreKind: string; threshold: number; drifted: boolean };
const driftTable = (columns: DriftRow[]) =>
  table(
    ['COLUMN', 'TEST', 'SCORE', 'THRESHOLD', 'DRIFT'],
    columns.map((c) => [c.column, c.method, c.score < 1e-4 && c.score > 0 ? c.score.toExponential(2) : c.score.toFixed(4), `${c.scoreKind === 'p_value' ? 'p <' : '≥'} ${c.threshold}`, c.drifted ? 'DRIFT' : 'ok']),
  );

/** `1h` (a time window) or `500rows` / `500 rows` (a count window). */
function parseWindow(text: string): MonitorSpec['window'] {
  const rows = /^(\d+)\s*rows?$/.exec(text.trim());
  return rows ? { kind: 'count', rows: Number(rows[1]) } : { kind: 'time', ms: parseDuration(text, 'window') };
}

const fmt = (v: number) => (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : Number(v.toPrecision(4)).toString());

export function registerMonitorCommand(program: Command): void {
  const monitor = program.command('monitor').description('drift, reference profiles, monitors over deployments, results, alerts, reports');
  registerMonitorsCommands(monitor);
  monitor
    .command('drift')
    .description("per column: Evidently's default test (KS, chi-square, z, Wasserstein, Jensen-Shannon), score, threshold, verdict")
    .option('--reference <file|NAME@VERSION>', 'the data the model was trained or validated on')
    .option('--profile <name|id>', 'a stored reference profile instead of --reference (the reference is not read again)')
    .requiredOption('--current <file|NAME@VERSION>', 'the data to compare')
    .option('--columns <names>', 'only these columns', list)
    .option('--test <column=method[:threshold]>', 'override a column: ks, chisquare, z, wasserstein, jensenshannon, psi, kl_div, hellinger (repeatable)', collect)
    .option('--null <value...>', 'values read as missing in files')
    .option('--trim', 'strip whitespace around text values in files')
    .option('--json', 'print JSON')
    .action(async (o: { reference?: string; profile?: string; current: string; columns?: string[]; test?: string[]; null?: string[]; trim?: boolean; json?: boolean }, cmd: Command) => {
      if ((o.reference === undefined) === (o.profile === undefined)) throw invalidArgument('Give the reference as --reference FILE|NAME@VERSION or --profile NAME (one of the two).', { field: 'reference' });
      if (o.profile) return driftAgainstProfile(cmd, { ...o, profile: o.profile });
      const reference = o.reference!;
      return withGyre(cmd, async (gyre) => {
        if (!(gyre.data instanceof DataService)) throw invalidArgument('gyre monitor drift reads data locally; unset GYRE_URL / --url.', {});
        const readOptions = { ...(o.null ? { nullValues: o.null } : {}), ...(o.trim ? { trim: true } : {}) };
        const [ref, cur] = [await gyre.data.readColumns(reference, { readOptions }), await gyre.data.readColumns(o.current, { readOptions })];
        const report = driftReport(ref, cur, { ...(o.columns ? { columns: o.columns } : {}), perColumn: perColumn(o.test) });
        if (o.json) return printJson(report);
        console.log(`reference ${report.reference} (${ref.rowCount} rows)  vs  current ${report.current} (${cur.rowCount} rows)\n`);
        console.log(driftTable(report.columns));
        if (report.onlyInReference.length) console.log(`\nonly in reference: ${report.onlyInReference.join(', ')}`);
        if (report.onlyInCurrent.length) console.log(`only in current: ${report.onlyInCurrent.join(', ')}`);
        console.log(`\n${report.drifted ? 'DATASET DRIFT' : 'no dataset drift'}: ${(report.driftedShare * 100).toFixed(0)}% of ${report.columns.length} columns drifted (threshold ${report.shareThreshold * 100}%)`);
        if (report.drifted) process.exitCode = 1;
      });
    });
}

/** `gyre monitor drift --profile NAME --current FILE`: the same report against a stored profile. */
async function driftAgainstProfile(cmd: Command, o: { profile: string; current: string; columns?: string[]; test?: string[]; null?: string[]; trim?: boolean; json?: boolean }): Promise<void> {
  return withLocalServices(cmd, async (services) => {
    const stored = await services.monitoring.profiles.get(o.profile);
    const readOptions = { ...(o.null ? { nullValues: o.null } : {}), ...(o.trim ? { trim: true } : {}) };
    const cur = await services.data.readColumns(o.current, { readOptions });
    const report = scoreProfile(stored.profile, cur.columns, { ...(o.columns ? { columns: o.columns } : {}), perColumn: perColumn(o.test) });
    if (o.json) return printJson(report);
    console.log(`reference profile ${stored.name} (${stored.source}, ${stored.rowCount} rows)  vs  current ${cur.label} (${cur.rowCount} rows)\n`);
    console.log(driftTable(report.columns));
    if (report.skipped.length) console.log(`\nnot tested: ${report.skipped.map((s) => `${s.column} (${s.reason.replace(/_/g, ' ')})`).join(', ')}`);
    console.log(`\n${report.drifted ? 'DATASET DRIFT' : 'no dataset drift'}: ${(report.driftedShare * 100).toFixed(0)}% of ${report.columns.length} columns drifted (threshold ${report.shareThreshold * 100}%)`);
    if (report.drifted) process.exitCode = 1;
  });
}

interface CreateOptions {
  deployment?: string;
  profile?: string;
  window?: string;
  schedule?: string;
  start?: string;
  labelDelay?: string;
  rule?: string[];
  columns?: string[];
  test?: string[];
  predictionOutput?: string;
  suite?: string;
  spec?: string;
  json?: boolean;
}

function registerMonitorsCommands(monitor: Command): void {
  monitor
    .command('profile <name>')
    .description('fit a reference profile once and store it: from a dataset version or file, or from a window of a deployment\'s inference log')
    .option('--dataset <file|NAME@VERSION>', 'the reference data (e.g. what the model was trained on)')
    .option('--columns <names>', 'only these columns', list)
    .option('--prediction-column <name>', 'a column standing for the predictions (e.g. the target), for prediction drift')
    .option('--deployment <name>', 'fit from this deployment\'s logged traffic instead')
    .option('--from <time>', 'start of the traffic window (ISO 8601 or epoch ms)')
    .option('--to <time>', 'end of the traffic window (exclusive)')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { dataset?: string; columns?: string[]; predictionColumn?: string; deployment?: string; from?: string; to?: string; json?: boolean }, cmd: Command) =>
      withMonitoring(cmd, async (m) => {
        let stored;
        if (o.dataset && !o.deployment) stored = await m.profiles.fromDataset(name, o.dataset, { ...(o.columns ? { columns: o.columns } : {}), ...(o.predictionColumn ? { predictionColumn: o.predictionColumn } : {}) });
        else if (o.deployment && !o.dataset && o.from && o.to) stored = await m.profiles.fromInferenceLog(name, o.deployment, parseTime(o.from, 'from'), parseTime(o.to, 'to'));
        else throw invalidArgument('Give --dataset FILE|NAME@VERSION, or --deployment NAME with --from and --to.', { field: 'dataset' });
        const { profile, ...summary } = stored;
        if (o.json) return printJson({ ...summary, columns: profile.columns.map((c) => ({ name: c.name, kind: c.kind, count: c.count, missing: c.missing })) });
        console.log(`profile ${stored.name} (${stored.id}) from ${stored.source}: ${stored.rowCount} rows`);
        console.log(table(['COLUMN', 'KIND', 'VALUES', 'MISSING', 'STORED AS'], profile.columns.map((c) => [c.name, c.kind, c.count, c.missing, c.kind === 'numeric' ? (c.exact ? `exact (${c.distinct} values)` : 'quantile sketch') : `${c.categories.length} categories`])));
      }),
    );
  monitor
    .command('profiles')
    .description('list stored reference profiles')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) =>
      withMonitoring(cmd, async (m) => {
        const profiles = await m.profiles.list();
        if (o.json) return printJson(profiles);
        console.log(table(['NAME', 'ID', 'SOURCE', 'ROWS', 'CREATED'], profiles.map((p) => [p.name, p.id, p.source, p.rowCount, time(p.createdAt)])));
      }),
    );
  monitor
    .command('create <name>')
    .description('watch a deployment: windows of its inference log against a reference profile, with alert rules')
    .option('--deployment <name>', 'the deployment to watch')
    .option('--profile <name|id>', 'the stored reference profile')
    .option('--window <1h|500rows>', 'a time window (90s, 15m, 1h, 1d) or a count window (N rows)', '1h')
    .option('--schedule <duration>', 'how often gyre server looks (default: the window length; 60s for count windows)')
    .option('--start <time>', 'evaluate windows from this time (ISO 8601 or epoch ms; default now)')
    .option('--label-delay <duration>', 'labels arrive this late: measure each window\'s performance this much later')
    .option('--rule <text>', "e.g. 'dataset_drift', 'drift(temp)', 'missing_share(temp) > 0.05', 'rmse worse than baseline by 20% [critical]' (repeatable)", collect)
    .option('--columns <names>', 'only these features are tested for drift', list)
    .option('--test <column=method[:threshold]>', 'override a column\'s drift test (repeatable)', collect)
    .option('--prediction-output <name>', 'the output read as the prediction')
    .option('--suite <file.yaml>', "check the data suite's row-level expectations on every window (alert with --rule 'suite_failed > 0')")
    .option('--spec <file.json>', 'the whole monitor spec as JSON instead of the options')
    .option('--json', 'print JSON')
    .action(async (name: string, o: CreateOptions, cmd: Command) =>
      withMonitoring(cmd, async (m) => {
        const created = await m.create(name, o.spec ? readSpec(o.spec) : specFromOptions(o));
        if (o.json) return printJson(created);
        console.log(`monitor ${created.name} watches ${created.spec.deployment}: ${created.spec.rules.length} rules, windows from ${time(created.state.nextWindowStart)}`);
      }),
    );
  monitor
    .command('list')
    .description('list monitors with their state')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) =>
      withMonitoring(cmd, async (m) => {
        const monitors = await m.list();
        if (o.json) return printJson(monitors);
        console.log(table(['NAME', 'DEPLOYMENT', 'WINDOW', 'RULES', 'NEXT WINDOW', 'LAST RUN', 'LAST ERROR'], monitors.map((x) => [x.name, x.spec.deployment, x.spec.window.kind === 'time' ? `${x.spec.window.ms / 60_000} min` : `${x.spec.window.rows} rows`, x.spec.rules.length, time(x.state.nextWindowStart), time(x.state.lastRunAt), x.state.lastError ?? ''])));
      }),
    );
  monitor
    .command('delete <name>')
    .description('delete a monitor and its results; its firing alerts resolve, its alert history stays')
    .action(async (name: string, _o: unknown, cmd: Command) => withMonitoring(cmd, async (m) => m.delete(name)));
  monitor
    .command('run [name]')
    .description('evaluate the windows closed by now (one monitor, or every due one); exit 1 if a monitor failed')
    .option('--now <time>', 'evaluate as of this time (ISO 8601 or epoch ms), e.g. for a replay')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, o: { now?: string; json?: boolean }, cmd: Command) =>
      withMonitoring(cmd, async (m) => {
        const now = o.now ? parseTime(o.now, 'now') : Date.now();
        const reports = name ? [await m.get(name).then(() => m.run(name, now))] : await m.runDue(now);
        if (o.json) printJson(reports);
        else console.log(reports.length ? table(['MONITOR', 'WINDOWS', 'ERROR'], reports.map((r) => [r.monitor, r.windows, r.error ?? ''])) : 'nothing due');
        if (reports.some((r) => r.error)) process.exitCode = 1;
      }),
    );
  monitor
    .command('results <name>')
    .description('per-window results, or one metric as a time series')
    .option('--metric <name>', 'a time series: rows, missing_share, type_error_share, drift_score, dataset_drift_share, prediction_drift_score, rmse, mae, accuracy, auc, ...')
    .option('--feature <name>', 'the feature of a per-feature metric')
    .option('--limit <n>', 'windows (newest first)', (v) => Number(v), 20)
    .option('--json', 'print JSON')
    .action(async (name: string, o: { metric?: string; feature?: string; limit: number; json?: boolean }, cmd: Command) =>
      withMonitoring(cmd, async (m) => {
        if (o.metric) {
          const points = await m.series(name, o.metric, o.feature ? { feature: o.feature } : {});
          if (o.json) return printJson(points);
          return console.log(table(['WINDOW START', 'WINDOW END', o.metric + (o.feature ? `(${o.feature})` : '')], points.map((p) => [time(p.windowStart), time(p.windowEnd), fmt(p.value)])));
        }
        await m.get(name);
        const windows = await m.results(name, { limit: o.limit });
        if (o.json) return printJson(windows);
        const v = (w: (typeof windows)[number], metric: string) => w.metrics.find((p) => p.metric === metric && p.feature === '')?.value;
        console.log(
          table(
            ['WINDOW START', 'ROWS', 'DRIFTED', 'DATASET DRIFT', 'PREDICTION DRIFT', 'RMSE/ACC', 'SKIPPED'],
            windows.map((w) => {
              const perf = v(w, 'rmse') ?? v(w, 'accuracy');
              const s = w.summary as { driftedColumns?: string[]; skippedColumns?: { column: string }[] };
              return [time(w.windowStart), w.rows, (s.driftedColumns ?? []).join(',') || '-', v(w, 'dataset_drift') === undefined ? '-' : v(w, 'dataset_drift') ? 'DRIFT' : 'ok', v(w, 'prediction_drift') === undefined ? '-' : v(w, 'prediction_drift') ? 'DRIFT' : 'ok', perf === undefined ? '-' : fmt(perf), (s.skippedColumns ?? []).map((c) => c.column).join(',')];
            }),
          ),
        );
      }),
    );
  monitor
    .command('alerts')
    .description('alerts, newest first')
    .option('--monitor <name>', 'only this monitor\'s')
    .option('--status <firing|resolved>', 'only these')
    .option('--limit <n>', 'at most this many', (v) => Number(v), 50)
    .option('--json', 'print JSON')
    .action(async (o: { monitor?: string; status?: string; limit: number; json?: boolean }, cmd: Command) =>
      withMonitoring(cmd, async (m) => {
        if (o.status !== undefined && o.status !== 'firing' && o.status !== 'resolved') throw invalidArgument(`--status is firing or resolved, got '${o.status}'.`, { field: 'status' });
        const alerts = await m.listAlerts({ ...(o.monitor ? { monitor: o.monitor } : {}), ...(o.status ? { status: o.status as 'firing' | 'resolved' } : {}), limit: o.limit });
        if (o.json) return printJson(alerts);
        console.log(table(['ID', 'STATUS', 'SEVERITY', 'MONITOR', 'RULE', 'RAISED', 'RESOLVED', 'MESSAGE'], alerts.map((a) => [a.id, a.status, a.severity, a.monitor, a.rule, time(a.raisedAt), time(a.resolvedAt), a.message])));
      }),
    );
  monitor
    .command('report <name>')
    .description('write a self-contained HTML report (distributions, drift, quality and performance over time) to open in a browser')
    .option('--out <file>', 'where to write it', 'monitor-report.html')
    .option('--limit <n>', 'latest windows to plot', (v) => Number(v), 500)
    .action(async (name: string, o: { out: string; limit: number }, cmd: Command) =>
      withMonitoring(cmd, async (m) => {
        fs.writeFileSync(o.out, await monitorReport(m, name, { limit: o.limit }));
        console.log(`wrote ${o.out}`);
      }),
    );
}

function specFromOptions(o: CreateOptions): MonitorSpec {
  if (!o.deployment || !o.profile) throw invalidArgument('Give --deployment and --profile (or --spec FILE.json).', { field: o.deployment ? 'profile' : 'deployment' });
  return {
    deployment: o.deployment,
    profile: o.profile,
    window: parseWindow(o.window ?? '1h'),
    ...(o.schedule ? { scheduleMs: parseDuration(o.schedule, 'schedule') } : {}),
    ...(o.start ? { startAt: parseTime(o.start, 'start') } : {}),
    ...(o.labelDelay ? { labelDelayMs: parseDuration(o.labelDelay, 'label-delay') } : {}),
    ...(o.columns ? { columns: o.columns } : {}),
    ...(o.test ? { perColumn: perColumn(o.test) } : {}),
    ...(o.predictionOutput ? { predictionOutput: o.predictionOutput } : {}),
    ...(o.suite ? { suite: readSuite(o.suite) } : {}),
    rules: (o.rule ?? []).map(parseRule),
  };
}

function readSuite(file: string): ExpectationSuite {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw invalidArgument(`--suite ${file} cannot be read.`, { field: 'suite' });
  }
  return parseSuiteText(text, file);
}

function readSpec(file: string): MonitorSpec {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as MonitorSpec;
  } catch (err) {
    throw invalidArgument(`--spec ${file} could not be read as JSON: ${(err as Error).message}`, { field: 'spec' });
  }
}
