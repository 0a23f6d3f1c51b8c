/** `gyre monitor ...`: drift between a reference and current data (monitors and alerts come later). */
import type { Command } from 'commander';
import { withGyre, printJson } from './context.js';
import { table } from './format.js';
import { driftReport } from '../monitoring/drift/drift-report.js';
import type { ColumnDriftOptions, DriftMethod } from '../monitoring/drift/column-drift.js';
import { DataService } from '../data/data-service.js';
import { invalidArgument } from '../core/errors.js';

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

export function registerMonitorCommand(program: Command): void {
  const monitor = program.command('monitor').description('drift between reference and current data');
  monitor
    .command('drift')
    .description("per column: Evidently's default test (KS, chi-square, z, Wasserstein, Jensen-Shannon), score, threshold, verdict")
    .requiredOption('--reference <file|NAME@VERSION>', 'the data the model was trained or validated on')
    .requiredOption('--current <file|NAME@VERSION>', 'the data to compare')
    .option('--columns <names>', 'only these columns', list)
    .option('--test <column=method[:threshold]>', 'override a column: ks, chisquare, z, wasserstein, jensenshannon, psi, kl_div, hellinger (repeatable)', collect)
    .option('--null <value...>', 'values read as missing in files')
    .option('--trim', 'strip whitespace around text values in files')
    .option('--json', 'print JSON')
    .action(async (o: { reference: string; current: string; columns?: string[]; test?: string[]; null?: string[]; trim?: boolean; json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        if (!(gyre.data instanceof DataService)) throw invalidArgument('gyre monitor drift reads data locally; unset GYRE_URL / --url.', {});
        const readOptions = { ...(o.null ? { nullValues: o.null } : {}), ...(o.trim ? { trim: true } : {}) };
        const [ref, cur] = [await gyre.data.readColumns(o.reference, { readOptions }), await gyre.data.readColumns(o.current, { readOptions })];
        const report = driftReport(ref, cur, { ...(o.columns ? { columns: o.columns } : {}), perColumn: perColumn(o.test) });
        if (o.json) return printJson(report);
        console.log(`reference ${report.reference} (${ref.rowCount} rows)  vs  current ${report.current} (${cur.rowCount} rows)\n`);
        console.log(
          table(
            ['COLUMN', 'TEST', 'SCORE', 'THRESHOLD', 'DRIFT'],
            report.columns.map((c) => [c.column, c.method, c.score < 1e-4 && c.score > 0 ? c.score.toExponential(2) : c.score.toFixed(4), `${c.scoreKind === 'p_value' ? 'p <' : '≥'} ${c.threshold}`, c.drifted ? 'DRIFT' : 'ok']),
          ),
        );
        if (report.onlyInReference.length) console.log(`\nonly in reference: ${report.onlyInReference.join(', ')}`);
        if (report.onlyInCurrent.length) console.log(`only in current: ${report.onlyInCurrent.join(', ')}`);
        console.log(`\n${report.drifted ? 'DATASET DRIFT' : 'no dataset drift'}: ${(report.driftedShare * 100).toFixed(0)}% of ${report.columns.length} columns drifted (threshold ${report.shareThreshold * 100}%)`);
        if (report.drifted) process.exitCode = 1;
      }),
    );
}
