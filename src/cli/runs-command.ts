/** `gyre runs ...`: search, show, metric history, delete, restore. */
import type { Command } from 'commander';
import { withGyre, printJson } from './context.js';
import { formatNumber, table, time } from './format.js';
import { encodeMetric, encodeRun } from '../api/tracking-wire.js';
import type { ViewType } from '../tracking/entities.js';

interface ListOptions {
  experiment: string[];
  filter?: string;
  orderBy?: string[];
  max: string;
  view: string;
  json?: boolean;
}

export function registerRunsCommand(program: Command): void {
  const runs = program.command('runs').description('search and inspect runs');
  runs
    .command('list')
    .description("search runs: --filter \"metrics.rmse < 50 and params.model = 'gbdt'\" --order-by 'metrics.rmse ASC'")
    .option('-e, --experiment <name...>', 'experiment names', ['Default'])
    .option('--filter <expr>', 'MLflow filter syntax, plus OR, parentheses and IN')
    .option('--order-by <clause...>', "e.g. 'metrics.rmse ASC'")
    .option('--max <n>', 'max results', '100')
    .option('--view <type>', 'ACTIVE_ONLY, DELETED_ONLY or ALL', 'ACTIVE_ONLY')
    .option('--json', 'print JSON')
    .action(async (opts: ListOptions, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const ids = await Promise.all(opts.experiment.map(async (n) => (await gyre.tracking.getExperimentByName(n)).experimentId));
        const page = await gyre.tracking.searchRuns({
          experimentIds: ids,
          ...(opts.filter ? { filter: opts.filter } : {}),
          ...(opts.orderBy ? { orderBy: opts.orderBy } : {}),
          maxResults: Number(opts.max),
          runViewType: opts.view as ViewType,
        });
        if (opts.json) return printJson(page.items.map(encodeRun));
        const metricKeys = [...new Set(page.items.flatMap((r) => r.data.metrics.map((m) => m.key)))].slice(0, 6);
        console.log(
          table(
            ['RUN ID', 'NAME', 'STATUS', 'STARTED', ...metricKeys],
            page.items.map((r) => [r.info.runId, r.info.runName, r.info.status, time(r.info.startTime), ...metricKeys.map((k) => {
              const m = r.data.metrics.find((x) => x.key === k);
              return m ? formatNumber(m.value) : '';
            })]),
          ),
        );
      }),
    );
  runs
    .command('show <run-id>')
    .description('a run with its params, latest metrics, tags, inputs and artifacts')
    .option('--json', 'print JSON')
    .action(async (runId: string, opts: { json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const run = await gyre.tracking.getRun(runId);
        const artifacts = await gyre.artifacts.list(runId).catch(() => ({ rootUri: run.info.artifactUri, files: [] }));
        if (opts.json) return printJson({ ...encodeRun(run), artifacts: artifacts.files });
        const i = run.info;
        console.log(`run ${i.runId} "${i.runName}" in experiment ${i.experimentId}: ${i.status}, ${time(i.startTime)} → ${time(i.endTime)}`);
        if (run.data.params.length) console.log(`\nparams\n${table(['KEY', 'VALUE'], run.data.params.map((p) => [p.key, p.value]))}`);
        if (run.data.metrics.length) console.log(`\nmetrics (latest)\n${table(['KEY', 'VALUE', 'STEP'], run.data.metrics.map((m) => [m.key, formatNumber(m.value), m.step]))}`);
        const tags = run.data.tags.filter((t) => !t.key.startsWith('mlflow.'));
        if (tags.length) console.log(`\ntags\n${table(['KEY', 'VALUE'], tags.map((t) => [t.key, t.value]))}`);
        if (run.inputs.datasetInputs.length) console.log(`\ninputs\n${table(['DATASET', 'DIGEST', 'SOURCE'], run.inputs.datasetInputs.map((d) => [d.dataset.name, d.dataset.digest, d.dataset.source]))}`);
        if (artifacts.files.length) console.log(`\nartifacts (${artifacts.rootUri})\n${table(['PATH', 'SIZE'], artifacts.files.map((f) => [f.isDir ? `${f.path}/` : f.path, f.size]))}`);
      }),
    );
  runs
    .command('history <run-id> <metric>')
    .description('a metric history, optionally downsampled for long ones')
    .option('--max-points <n>', 'downsample to about n points (keeps extremes)')
    .option('--json', 'print JSON')
    .action(async (runId: string, key: string, opts: { maxPoints?: string; json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const page = await gyre.tracking.getMetricHistory(runId, key, opts.maxPoints ? { maxPoints: Number(opts.maxPoints) } : {});
        if (opts.json) return printJson(page.items.map(encodeMetric));
        console.log(table(['STEP', 'VALUE', 'TIME'], page.items.map((m) => [m.step, formatNumber(m.value), time(m.timestamp)])));
      }),
    );
  runs.command('delete <run-id>').action(async (id: string, _o: unknown, cmd: Command) => withGyre(cmd, (gyre) => gyre.tracking.deleteRun(id)));
  runs.command('restore <run-id>').action(async (id: string, _o: unknown, cmd: Command) => withGyre(cmd, (gyre) => gyre.tracking.restoreRun(id)));
}
