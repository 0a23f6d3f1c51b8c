/** `gyre data ...`: add, list, show, diff, infer-suite, validate (exit 1 when validation fails). */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import YAML from 'yaml';
import { withGyre, printJson } from './context.js';
import { formatNumber, table, time } from './format.js';
import { invalidArgument } from '../core/errors.js';
import type { DataFormat, DatasetVersion, ReadOptions } from '../data/entities.js';
import { parseSuiteText } from '../data/suite-parser.js';
import { renderReportHtml, renderReportText } from '../data/render-report.js';

interface AddOptions {
  name: string;
  format?: DataFormat;
  header: boolean;
  columns?: string;
  delimiter?: string;
  quote?: string;
  skip?: string;
  encoding?: ReadOptions['encoding'];
  null?: string[];
  trim?: boolean;
  tag?: string[];
  json?: boolean;
}

function readOptionsOf(o: AddOptions): ReadOptions {
  return {
    ...(o.format ? { format: o.format } : {}),
    ...(o.header === false ? { header: false } : {}),
    ...(o.columns ? { columns: o.columns.split(',').map((c) => c.trim()) } : {}),
    ...(o.delimiter ? { delimiter: o.delimiter === '\\t' ? '\t' : o.delimiter } : {}),
    ...(o.quote ? { quote: o.quote } : {}),
    ...(o.skip ? { skip: Number(o.skip) } : {}),
    ...(o.encoding ? { encoding: o.encoding } : {}),
    ...(o.null ? { nullValues: o.null } : {}),
    ...(o.trim ? { trim: true } : {}),
  };
}

function tagsOf(list: string[] = []): Record<string, string> {
  return Object.fromEntries(
    list.map((kv) => {
      const i = kv.indexOf('=');
      if (i <= 0) throw invalidArgument(`Tag '${kv}' must be KEY=VALUE.`);
      return [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
}

function printVersion(v: DatasetVersion): void {
  console.log(`${v.name}@${v.version}  ${v.digest}\n  source ${v.source} (${v.readOptions.format}), ${v.files.length} file(s), ${v.rowCount.toLocaleString('en')} rows, ${v.profile.duplicateRows} duplicate rows`);
  console.log(`  added ${time(v.createdAt)} by ${v.createdBy}${Object.keys(v.tags).length ? `, tags ${Object.entries(v.tags).map(([k, x]) => `${k}=${x}`).join(' ')}` : ''}\n`);
  const num = (x: unknown) => (typeof x === 'number' ? formatNumber(x) : x === undefined || x === null ? '' : String(x));
  console.log(
    table(
      ['COLUMN', 'TYPE', 'MISSING', 'DISTINCT', 'MIN', 'MEAN', 'MAX', 'TOP VALUES'],
      v.profile.columns.map((c) => [
        c.name,
        c.type,
        `${(c.missingShare * 100).toFixed(1)}%`,
        c.distinct,
        num(c.min),
        num(c.mean),
        num(c.max),
        (c.topValues ?? []).slice(0, 3).map((t) => `${String(t.value)} (${t.count})`).join(', '),
      ]),
    ),
  );
}

export function registerDataCommand(program: Command): void {
  const data = program.command('data').description('versioned datasets: add, profile, diff, validate against expectation suites');
  data
    .command('add <source>')
    .description('add a file or glob (CSV, Parquet, JSON, NDJSON) as a content-addressed dataset version, with its profile')
    .requiredOption('-n, --name <name>', 'dataset name')
    .option('--format <format>', 'csv, parquet, json or ndjson (default: from the extension)')
    .option('--no-header', 'CSV has no header line')
    .option('--columns <names>', 'comma-separated column names')
    .option('--delimiter <char>', 'CSV field separator (\\t for tab)')
    .option('--quote <char>', 'CSV quote character')
    .option('--skip <n>', 'CSV lines to skip before the header')
    .option('--encoding <enc>', 'utf-8, utf-16 or latin-1')
    .option('--null <value...>', 'values read as missing, e.g. --null ? NA')
    .option('--trim', 'strip whitespace around text values')
    .option('--tag <key=value...>', 'tags for the version')
    .option('--json', 'print JSON')
    .action(async (source: string, opts: AddOptions, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const { version, created } = await gyre.data.add({ name: opts.name, source, readOptions: readOptionsOf(opts), tags: tagsOf(opts.tag), createdBy: process.env.USER ?? 'unknown' });
        if (opts.json) return printJson({ created, version });
        console.log(`${created ? 'added' : 'unchanged: same content as'} ${version.name}@${version.version} (${version.digest.slice(7, 19)}), ${version.rowCount.toLocaleString('en')} rows × ${version.schema.length} columns`);
      }),
    );
  data
    .command('list [name]')
    .description('datasets, or the versions of one dataset')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        if (name) {
          const versions = await gyre.data.versions(name);
          if (opts.json) return printJson(versions.map(({ profile: _p, ...v }) => v));
          return console.log(table(['VERSION', 'DIGEST', 'ROWS', 'COLUMNS', 'ADDED', 'BY', 'SOURCE'], versions.map((v) => [`${v.name}@${v.version}`, v.digest.slice(7, 19), v.rowCount, v.schema.length, time(v.createdAt), v.createdBy, v.source])));
        }
        const list = await gyre.data.list();
        if (opts.json) return printJson(list);
        console.log(table(['NAME', 'VERSIONS', 'LATEST', 'DIGEST', 'ROWS', 'ADDED'], list.map((d) => [d.name, d.versionCount, d.latest ? `@${d.latest.version}` : '', d.latest?.digest.slice(7, 19), d.latest?.rowCount, time(d.latest?.createdAt)])));
      }),
    );
  data
    .command('show <ref>')
    .description('a version (NAME@N, NAME@<digest prefix>, NAME@latest) with its schema and profile')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const v = await gyre.data.get(ref);
        if (opts.json) return printJson(v);
        printVersion(v);
      }),
    );
  data
    .command('diff <from> <to>')
    .description('what changed between two versions: rows, columns, types, missing shares, categories')
    .option('--json', 'print JSON')
    .action(async (from: string, to: string, opts: { json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const d = await gyre.data.diff(from, to);
        if (opts.json) return printJson(d);
        console.log(`${d.from.name}@${d.from.version} → ${d.to.name}@${d.to.version}: ${d.sameContent ? 'same content' : 'content differs'}; rows ${d.rowCount.from} → ${d.rowCount.to} (${d.rowCount.change >= 0 ? '+' : ''}${d.rowCount.change})`);
        if (d.addedColumns.length) console.log(`added columns: ${d.addedColumns.join(', ')}`);
        if (d.removedColumns.length) console.log(`removed columns: ${d.removedColumns.join(', ')}`);
        if (d.changedColumns.length) {
          const f = (x: number | null | undefined) => (typeof x === 'number' ? formatNumber(x) : '');
          console.log(
            table(
              ['COLUMN', 'TYPE', 'MISSING', 'DISTINCT', 'MEAN', 'NEW VALUES', 'GONE VALUES'],
              d.changedColumns.map((c) => [
                c.column,
                c.type ? `${c.type.from} → ${c.type.to}` : '',
                c.missingShare ? `${(c.missingShare.from * 100).toFixed(1)}% → ${(c.missingShare.to * 100).toFixed(1)}%` : '',
                c.distinct ? `${c.distinct.from} → ${c.distinct.to}` : '',
                c.mean ? `${f(c.mean.from)} → ${f(c.mean.to)}` : '',
                (c.newValues ?? []).slice(0, 4).map(String).join(', '),
                (c.removedValues ?? []).slice(0, 4).map(String).join(', '),
              ]),
            ),
          );
        }
      }),
    );
  data
    .command('infer-suite')
    .description("write an expectation suite from a version's profile, for a person to review")
    .requiredOption('--from <ref>', 'version to infer from, e.g. adult@latest')
    .requiredOption('--out <file>', 'suite file to write (.json, or .yaml/.yml for YAML)')
    .option('--suite-name <name>', 'name of the suite')
    .action(async (opts: { from: string; out: string; suiteName?: string }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const s = await gyre.data.inferSuite(opts.from, opts.suiteName);
        const yaml = /\.ya?ml$/i.test(opts.out);
        fs.writeFileSync(opts.out, yaml ? YAML.stringify(s) : `${JSON.stringify(s, null, 2)}\n`);
        console.log(`wrote ${s.expectations.length} expectations to ${opts.out}`);
      }),
    );
  data
    .command('validate <ref>')
    .description('validate a version against a suite; exits 1 when an error-severity expectation fails')
    .requiredOption('--suite <file>', 'expectation suite (JSON or YAML)')
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'also write a self-contained HTML report')
    .action(async (ref: string, opts: { suite: string; json?: boolean; html?: string }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        let text: string;
        try {
          text = fs.readFileSync(opts.suite, 'utf8');
        } catch (err) {
          throw invalidArgument(`Cannot read suite file '${opts.suite}': ${(err as Error).message}`, { file: opts.suite });
        }
        const report = await gyre.data.validate(ref, parseSuiteText(text, path.basename(opts.suite)));
        if (opts.html) fs.writeFileSync(opts.html, renderReportHtml(report));
        if (opts.json) printJson(report);
        else console.log(renderReportText(report) + (opts.html ? `\nHTML report: ${opts.html}` : ''));
        if (!report.success) process.exitCode = 1;
      }),
    );
}
