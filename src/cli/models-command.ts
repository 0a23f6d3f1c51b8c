/** `gyre models ...`: register ONNX models, versions, aliases, protection, approvals, lineage, cards. */
import fs from 'node:fs';
import type { Command } from 'commander';
import { cliActor, withGyre, printJson } from './context.js';
import { table, time } from './format.js';
import { formatLineage } from '../registry/lineage/lineage-graph.js';
import { parseThreshold } from '../registry/registry-validation.js';
import type { ModelVersion } from '../registry/entities.js';
import { invalidArgument } from '../core/errors.js';

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
const collect = (v: string, prev: string[] = []) => [...prev, v];

function readJsonFile(file: string, what: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw invalidArgument(`Cannot read ${what} '${file}': ${(err as Error).message}.`, { file });
  }
}

const versionRow = (v: ModelVersion) => [v.version, v.aliases.map((a) => `@${a}`).join(' '), v.stage, v.runId ?? '', v.packageDigest ? v.packageDigest.slice(7, 19) : '', time(v.creationTimestamp), v.description];

export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('the model registry: versions, aliases, approvals, lineage, model cards');

  models
    .command('register')
    .description('register an ONNX model (trained anywhere) as a new version; it is checked in ONNX Runtime first')
    .requiredOption('--name <name>', 'registered model name (created if new)')
    .option('--onnx <file>', 'the model file (or --run alone: the model that run logged)')
    .option('--path <artifact-path>', "with --run and no --onnx: where the run logged it (default 'model')")
    .option('--manifest <file>', 'gyre-model.json to check against the graph (default: read the graph)')
    .option('--features <names>', 'feature names for a [N, k] input, comma-separated', list)
    .option('--run <id>', 'the run that trained it (lineage: data, code, metrics)')
    .option('--alias <alias>', 'point this alias at the new version')
    .option('--task <task>', 'classification, regression or other')
    .option('--description <text>', 'intended use (goes into the model card)')
    .option('--json', 'print JSON')
    .action(async (o: { name: string; onnx?: string; path?: string; manifest?: string; features?: string[]; run?: string; alias?: string; task?: string; description?: string; json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        let onnx: Buffer | undefined;
        if (o.onnx) {
          try {
            onnx = fs.readFileSync(o.onnx);
          } catch (err) {
            throw invalidArgument(`Cannot read '${o.onnx}': ${(err as Error).message}.`, { file: o.onnx });
          }
        } else if (!o.run) throw invalidArgument('Give --onnx <file>, or --run <id> to register the model that run logged.', { field: 'onnx' });
        const v = await gyre.models.register(
          {
            name: o.name,
            ...(onnx ? { onnx } : {}),
            ...(o.path ? { artifactPath: o.path } : {}),
            ...(o.manifest ? { manifest: readJsonFile(o.manifest, 'manifest') } : {}),
            ...(o.features ? { featureNames: o.features } : {}),
            ...(o.run ? { runId: o.run } : {}),
            ...(o.alias ? { alias: o.alias } : {}),
            ...(o.task ? { task: o.task as 'classification' } : {}),
            ...(o.description ? { description: o.description } : {}),
          },
          cliActor(),
        );
        if (o.json) return printJson(v);
        console.log(`registered ${v.name} version ${v.version}${v.aliases.length ? ` (${v.aliases.map((a) => `@${a}`).join(' ')})` : ''}, package ${v.packageDigest}`);
      }),
    );

  models
    .command('list')
    .option('--filter <expr>', "e.g. \"name LIKE 'bike%' AND tags.team = 'ml'\"")
    .option('--json', 'print JSON')
    .action(async (o: { filter?: string; json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const page = await gyre.registry.searchModels({ ...(o.filter ? { filter: o.filter } : {}), maxResults: 1000 });
        if (o.json) return printJson(page.items);
        console.log(table(['NAME', 'ALIASES', 'LATEST', 'UPDATED', 'DESCRIPTION'], page.items.map((m) => [m.name, m.aliases.map((a) => `@${a.alias}=${a.version}`).join(' '), Math.max(0, ...m.latestVersions.map((v) => v.version)) || '', time(m.lastUpdatedTimestamp), m.description])));
      }),
    );

  models
    .command('show <ref>')
    .description('a model (NAME) or a version (NAME@ALIAS, NAME/VERSION, models:/…)')
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        if (!/[@/]/.test(ref)) {
          const m = await gyre.registry.getModel(ref);
          if (o.json) return printJson(m);
          console.log(`${m.name}: ${m.description || '(no description)'}`);
          console.log(table(['VERSION', 'ALIASES', 'STAGE', 'RUN', 'PACKAGE', 'CREATED', 'DESCRIPTION'], (await gyre.registry.listVersions(ref)).map(versionRow)));
          return;
        }
        const v = await gyre.registry.resolve(ref);
        if (o.json) return printJson(v);
        console.log(table(['VERSION', 'ALIASES', 'STAGE', 'RUN', 'PACKAGE', 'CREATED', 'DESCRIPTION'], [versionRow(v)]));
      }),
    );

  models
    .command('describe <name> <text>')
    .description('set the description (intended use) of a model')
    .action(async (name: string, text: string, _o: unknown, cmd: Command) => withGyre(cmd, async (gyre) => void (await gyre.registry.updateModel(name, text, cliActor()))));

  models.command('delete <name>').action(async (name: string, _o: unknown, cmd: Command) => withGyre(cmd, (gyre) => gyre.registry.deleteModel(name, cliActor())));

  const alias = models.command('alias').description('aliases: champion, challenger, ...');
  alias
    .command('set <name> <alias> <version>')
    .option('--reason <text>', 'why (kept in the alias history)')
    .action(async (name: string, a: string, version: string, o: { reason?: string }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const move = await gyre.registry.setAlias(name, a, version, cliActor(o.reason));
        console.log(`@${a}: ${move.fromVersion ?? '—'} → ${move.toVersion} (${move.via})`);
      }),
    );
  alias.command('delete <name> <alias>').action(async (name: string, a: string, _o: unknown, cmd: Command) => withGyre(cmd, async (gyre) => void (await gyre.registry.deleteAlias(name, a, cliActor()))));
  alias
    .command('history <name> [alias]')
    .option('--json', 'print JSON')
    .action(async (name: string, a: string | undefined, o: { json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const moves = await gyre.registry.aliasHistory(name, a);
        if (o.json) return printJson(moves);
        console.log(table(['WHEN', 'ALIAS', 'FROM', 'TO', 'WHO', 'VIA', 'WHY'], moves.map((m) => [time(m.at), m.alias, m.fromVersion ?? '—', m.toVersion ?? '—', m.user, m.via + (m.approvalId ? ` #${m.approvalId}` : ''), m.reason ?? ''])));
      }),
    );

  models
    .command('protect <name> <alias>')
    .description('moves of this alias need an approval by another user, or pass a policy gate')
    .option('--threshold <rule>', "gate rule on the candidate's run metrics, e.g. 'rmse <= 60' (repeatable)", collect)
    .option('--must-beat <metric>', "the candidate must beat the current holder on this metric")
    .option('--higher-is-better', 'with --must-beat: higher values win (default: lower wins, as for errors)')
    .action(async (name: string, a: string, o: { threshold?: string[]; mustBeat?: string; higherIsBetter?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const policy = o.threshold || o.mustBeat ? { ...(o.threshold ? { thresholds: o.threshold.map(parseThreshold) } : {}), ...(o.mustBeat ? { mustBeat: { metric: o.mustBeat, higherIsBetter: o.higherIsBetter === true } } : {}) } : null;
        await gyre.registry.protectAlias(name, a, policy, cliActor());
        console.log(policy ? `@${a} of ${name} is protected by a policy gate` : `@${a} of ${name} is protected: moves need an approval by another user`);
      }),
    );
  models.command('unprotect <name> <alias>').action(async (name: string, a: string, _o: unknown, cmd: Command) => withGyre(cmd, (gyre) => gyre.registry.unprotectAlias(name, a, cliActor())));

  const approvals = models.command('approvals').description('approval requests for protected aliases');
  approvals
    .command('request <name> <alias> <version>')
    .requiredOption('--reason <text>', 'why this version should take the alias')
    .action(async (name: string, a: string, version: string, o: { reason: string }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const r = await gyre.registry.requestApproval(name, a, version, cliActor(o.reason));
        console.log(`approval #${r.id} requested: ${name} version ${r.version} → @${a}; another user approves with 'gyre models approve ${r.id} --reason ...'`);
      }),
    );
  approvals
    .command('list')
    .option('--name <model>')
    .option('--status <status>', 'PENDING, APPROVED, REJECTED')
    .option('--json', 'print JSON')
    .action(async (o: { name?: string; status?: string; json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const rows = await gyre.registry.listApprovals({ ...(o.name ? { name: o.name } : {}), ...(o.status ? { status: o.status.toUpperCase() as 'PENDING' } : {}) });
        if (o.json) return printJson(rows);
        console.log(table(['ID', 'MODEL', 'ALIAS', 'VERSION', 'STATUS', 'REQUESTED BY', 'DECIDED BY', 'WHY'], rows.map((r) => [r.id, r.name, r.alias, r.version, r.status, r.requestedBy, r.decidedBy ?? '', r.decisionReason ?? r.reason ?? ''])));
      }),
    );
  for (const [verb, decision] of [['approve', 'APPROVED'], ['reject', 'REJECTED']] as const) {
    models
      .command(`${verb} <id>`)
      .description(`${verb} an approval request (not your own)`)
      .option('--reason <text>', verb === 'reject' ? 'required: what must change' : 'why')
      .action(async (id: string, o: { reason?: string }, cmd: Command) =>
        withGyre(cmd, async (gyre) => {
          const r = await gyre.registry.decide(Number(id), decision, cliActor(o.reason));
          console.log(`approval #${r.id}: ${r.status}${decision === 'APPROVED' ? ` — @${r.alias} now points at version ${r.version}` : ''}`);
        }),
      );
  }

  models
    .command('lineage <ref>')
    .description('which run, data, code and parent produced a version, and what serves it')
    .option('--json', 'print the graph as JSON')
    .action(async (ref: string, o: { json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const g = await gyre.models.lineage(ref);
        if (o.json) return printJson(g);
        console.log(formatLineage(g));
      }),
    );
  models
    .command('card <ref>')
    .description('the model card, in Markdown (or HTML)')
    .option('--html', 'render HTML')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (ref: string, o: { html?: boolean; out?: string }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const text = await gyre.models.card(ref, o.html ? 'html' : 'markdown');
        if (o.out) {
          fs.writeFileSync(o.out, text);
          console.log(`model card written to ${o.out}`);
        } else process.stdout.write(text);
      }),
    );
}
