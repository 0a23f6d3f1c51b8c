/** `gyre deploy ...`: deployments of registered models — create, canary, promote, roll back, shadow. */
import type { Command } from 'commander';
import { cliActor, printJson, withGyre } from './context.js';
import { table, time } from './format.js';
import type { DeploymentView } from '../serving/deployments/deployment-service.js';
import type { DeploymentApi } from '../serving/deployments/deployment-api.js';
import { invalidArgument } from '../core/errors.js';


/**
 * Deployments are changed through the SDK: against the local stores (a running gyre server on them
 * applies the change within a poll), or against the server at --url / GYRE_URL.
 */
function withDeployments<T>(cmd: Command, fn: (d: DeploymentApi) => Promise<T>): Promise<T> {
  return withGyre(cmd, (gyre) => fn(gyre.deployments));
}

function show(d: DeploymentView): void {
  console.log(`${d.name}: ${d.spec.strategy}`);
  console.log(table(['VARIANT', 'MODEL', 'WEIGHT'], d.spec.variants.map((v) => [v.name, v.model, `${v.weight}%`])));
  if (d.spec.shadow) console.log(`shadow: ${d.spec.shadow.model} (${d.spec.shadow.percent}% mirrored, answers logged, never returned)`);
}

const percent = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw invalidArgument(`--percent must be a number from 0 to 100, got '${v}'.`, { field: 'percent' });
  return n;
};

export function registerDeployCommand(program: Command): void {
  const deploy = program.command('deploy').description('deployments: named endpoints over model versions or aliases (served by gyre server); on the local stores, or on a running server with --url / GYRE_URL');
  deploy
    .command('create <name>')
    .description('deploy a model version or alias (NAME@ALIAS follows the alias)')
    .requiredOption('--model <ref>', 'NAME@ALIAS (follows the alias) or NAME/VERSION')
    .option('--reason <text>', 'why, recorded in the deployment\'s history')
    .action(async (name: string, o: { model: string; reason?: string }, cmd: Command) =>
      withDeployments(cmd, async (d) => {
        show(await d.create(name, { model: o.model }, cliActor(o.reason)));
        console.log(`served by gyre server at /v2/models/${name}/infer (OIP) and /api/v1/deployments/${name}/predict (records)`);
      }),
    );
  deploy
    .command('list')
    .description('list deployments')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) =>
      withDeployments(cmd, async (d) => {
        const all = await d.list();
        if (o.json) return printJson(all);
        console.log(table(['NAME', 'STRATEGY', 'VARIANTS', 'SHADOW', 'UPDATED'], all.map((x) => [x.name, x.spec.strategy, x.spec.variants.map((v) => `${v.model} ${v.weight}%`).join(', '), x.spec.shadow?.model ?? '', time(x.updatedAt)])));
      }),
    );
  deploy.command('show <name>').description('a deployment and the versions it serves').action(async (name: string, _o: unknown, cmd: Command) => withDeployments(cmd, async (d) => show(await d.get(name))));
  deploy
    .command('canary <name>')
    .description('send a share of traffic to a new version or alias')
    .requiredOption('--model <ref>', 'the new version or alias')
    .requiredOption('--percent <n>', 'share of traffic for it', percent)
    .option('--reason <text>', 'why, recorded in the deployment\'s history')
    .action(async (name: string, o: { model: string; percent: number; reason?: string }, cmd: Command) => withDeployments(cmd, async (d) => show(await d.canary(name, o.model, o.percent, cliActor(o.reason)))));
  deploy
    .command('step <name>')
    .description("change the canary's share of traffic")
    .requiredOption('--percent <n>', 'new share of traffic for the canary', percent)
    .action(async (name: string, o: { percent: number }, cmd: Command) => withDeployments(cmd, async (d) => show(await d.stepCanary(name, o.percent, cliActor()))));
  deploy.command('promote <name>').description('the canary takes all traffic').action(async (name: string, _o: unknown, cmd: Command) => withDeployments(cmd, async (d) => show(await d.promote(name, cliActor()))));
  deploy.command('rollback <name>').description('back to the stable version, or to the spec before the last change').action(async (name: string, _o: unknown, cmd: Command) => withDeployments(cmd, async (d) => show(await d.rollback(name, cliActor()))));
  deploy
    .command('shadow <name>')
    .description('mirror a share of traffic to a version (answers logged, never returned), or stop with --off')
    .option('--model <ref>', 'mirror traffic to this version')
    .option('--percent <n>', 'share mirrored', percent, 100)
    .option('--off', 'stop mirroring')
    .option('--reason <text>', 'why, recorded in the deployment\'s history')
    .action(async (name: string, o: { model?: string; percent: number; off?: boolean; reason?: string }, cmd: Command) =>
      withDeployments(cmd, async (d) => {
        if (!o.off && !o.model) throw invalidArgument('Give --model <ref> to mirror, or --off.', { field: 'model' });
        show(await d.shadow(name, o.off ? null : o.model!, o.percent, cliActor(o.reason)));
      }),
    );
  deploy
    .command('history <name>')
    .description('every change: when, who, what, why')
    .action(async (name: string, _o: unknown, cmd: Command) =>
      withDeployments(cmd, async (d) => console.log(table(['WHEN', 'WHO', 'ACTION', 'WHY'], (await d.history(name)).map((c) => [time(c.at), c.user, c.action, c.reason ?? ''])))),
    );
  deploy
    .command('delete <name>')
    .description('stop serving and remove the deployment')
    .option('--reason <text>', 'why, recorded in the deployment\'s history')
    .action(async (name: string, o: { reason?: string }, cmd: Command) => withDeployments(cmd, (d) => d.delete(name, cliActor(o.reason))));
}
