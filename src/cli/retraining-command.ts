/**
 * `gyre retraining ...`: continuous-training policies per deployment — set one from a YAML/JSON file,
 * show it, read the decisions taken under it, or ask for a retraining now. `gyre server` runs the
 * schedules and listens to monitoring alerts.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import YAML from 'yaml';
import { openServices } from '../services.js';
import type { Services } from '../services.js';
import { resolveConfig } from '../core/config.js';
import { cliActor, globalOptions, printJson } from './context.js';
import { table, time } from './format.js';
import { invalidArgument } from '../core/errors.js';
import { parseRetrainingPolicy } from '../continuous-training/policy-validation.js';
import { ContinuousTrainer } from '../continuous-training/continuous-trainer.js';
import type { RetrainingEvent } from '../continuous-training/entities.js';
import { gyreOver } from '../sdk/gyre.js';
import { monitoringAlertSink } from '../continuous-training/monitoring-alert-sink.js';
import { pipelineFileRunner } from '../pipelines/pipeline-file-runner.js';

async function withServices<T>(cmd: Command, fn: (s: Services, home: string) => Promise<T>): Promise<T> {
  const opts = globalOptions(cmd);
  if (opts.url || process.env.GYRE_URL) throw invalidArgument('gyre retraining works on the local stores (GYRE_HOME / GYRE_DATABASE_URL), where the data and the inference log are.', {});
  const config = resolveConfig({ ...(opts.home ? { home: opts.home } : {}), remoteUrl: null });
  const services = await openServices(config);
  try {
    return await fn(services, config.home);
  } finally {
    await services.close();
  }
}

function readPolicyFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw invalidArgument(`Cannot read policy file '${file}'.`, { file });
  }
  try {
    return YAML.parse(text);
  } catch (err) {
    throw invalidArgument(`Policy file '${file}' is not valid YAML or JSON: ${(err as Error).message}`, { file });
  }
}

function printEvents(events: RetrainingEvent[]): void {
  console.log(table(['WHEN', 'TRIGGER', 'OUTCOME', 'VERSION', 'CHAMPION', 'REASON'], events.map((e) => [time(e.at), e.trigger, e.outcome, e.version ?? '', e.championVersion ?? '', e.reason])));
}

export function registerRetrainingCommand(program: Command): void {
  const rt = program.command('retraining').description('continuous training: per-deployment retraining policies, their decisions, manual retrains');
  rt.command('set <deployment>')
    .description('create or replace the policy from a YAML or JSON file (docs/continuous-training.md)')
    .requiredOption('--file <policy.yaml>')
    .action(async (deployment: string, o: { file: string }, cmd: Command) =>
      withServices(cmd, async (s) => {
        const policy = parseRetrainingPolicy(readPolicyFile(o.file), deployment);
        await s.serving.deployments.get(deployment); // a policy for a deployment that does not exist is a typo
        await s.retraining.putPolicy(policy, Date.now());
        console.log(`retraining policy of ${deployment} set: ${policy.trainer.model} on the last ${policy.data.windowDays} days, gate ${(policy.gates ?? ['beat the champion by 1%']).join(', ')}`);
      }),
    );
  rt.command('show <deployment>')
    .option('--json')
    .action(async (deployment: string, o: { json?: boolean }, cmd: Command) =>
      withServices(cmd, async (s) => {
        const policy = await s.retraining.getPolicy(deployment);
        if (o.json) return printJson(policy);
        console.log(YAML.stringify(policy).trimEnd());
      }),
    );
  rt.command('delete <deployment>').action(async (deployment: string, _o: unknown, cmd: Command) =>
    withServices(cmd, async (s) => {
      await s.retraining.deletePolicy(deployment);
      console.log(`retraining policy of ${deployment} deleted; its history stays`);
    }),
  );
  rt.command('history <deployment>')
    .description('every decision: promoted, rejected by the gate, skipped by a guard rail, failed — with the reason')
    .option('--limit <n>', 'newest first (default 50)', Number)
    .option('--json')
    .action(async (deployment: string, o: { limit?: number; json?: boolean }, cmd: Command) =>
      withServices(cmd, async (s) => {
        const events = await s.retraining.events(deployment, o.limit ?? 50);
        if (o.json) return printJson(events);
        printEvents(events);
      }),
    );
  rt.command('run <deployment>')
    .description('retrain now (guard rails still apply); exit 1 unless the challenger was promoted')
    .option('--json')
    .action(async (deployment: string, o: { json?: boolean }, cmd: Command) =>
      withServices(cmd, async (s, home) => {
        const gyre = gyreOver(s, resolveConfig({ home, remoteUrl: null }));
        const trainer = new ContinuousTrainer({ gyre, inferenceLog: s.serving.inferenceLog, store: s.retraining, deployments: s.serving.deployments, alerts: monitoringAlertSink(s.monitoring), runPipeline: pipelineFileRunner(s) });
        const event = await trainer.retrain(deployment, `manual:${cliActor().user}`);
        if (event.outcome !== 'promoted') process.exitCode = 1;
        if (o.json) return printJson(event);
        printEvents([event]);
      }),
    );
}
