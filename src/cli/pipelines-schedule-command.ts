/** `gyre pipelines schedule|trigger|scheduler`: cron schedules, event and HTTP triggers, and the process that fires them. */
import type { Command } from 'commander';
import { invalidArgument } from '../core/errors.js';
import { printJson } from './context.js';
import { table, time } from './format.js';
import { withPipelines } from './pipelines-command.js';
import { PipelineScheduler } from '../pipelines/schedules/pipeline-scheduler.js';
import { PipelineTriggers } from '../pipelines/schedules/pipeline-triggers.js';
import type { MissedRunPolicy } from '../pipelines/schedules/schedule-store.js';
import { distributedDispatcherFromEnv } from '../pipelines/distributed/dispatcher-from-env.js';
import type { PipelineService } from '../pipelines/pipeline-service.js';

const schedulerOf = (p: PipelineService) => new PipelineScheduler(p, p.services.scheduleStore, { dispatcher: () => distributedDispatcherFromEnv(), onError: (err) => console.error(`scheduled run failed to start: ${(err as Error).message}`) });
const triggersOf = (p: PipelineService) => new PipelineTriggers(p, p.services.scheduleStore, p.services.eventSources, { dispatcher: () => distributedDispatcherFromEnv(), onError: (err) => console.error(`triggered run failed to start: ${(err as Error).message}`) });

export function registerPipelineScheduleCommands(pipelines: Command): void {
  const schedule = pipelines.command('schedule').description('cron schedules (fired by `gyre pipelines scheduler`)');
  schedule
    .command('add <name> <file>')
    .requiredOption('--cron <expr>', "five fields: minute hour day-of-month month day-of-week, e.g. '0 3 * * *'")
    .option('--tz <zone>', 'IANA time zone the cron is read in', 'UTC')
    .option('--missed <policy>', 'fire times missed while no scheduler ran: latest (run once), all (backfill each), skip', 'latest')
    .action(async (name: string, file: string, o: { cron: string; tz: string; missed: string }, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        const s = await schedulerOf(p).add({ name, pipelineFile: file, cron: o.cron, timezone: o.tz, missedPolicy: o.missed as MissedRunPolicy });
        console.log(`schedule ${s.name}: ${s.cron} (${s.timezone}), next run ${time(s.nextFireAt)} UTC, missed runs: ${s.missedPolicy}`);
      }),
    );
  schedule
    .command('list')
    .option('--json')
    .action(async (o: { json?: boolean }, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        const all = await p.services.scheduleStore.listSchedules();
        if (o.json) return printJson(all);
        console.log(table(['NAME', 'CRON', 'ZONE', 'MISSED', 'NEXT (UTC)', 'PIPELINE'], all.map((s) => [s.name, s.cron, s.timezone, s.missedPolicy, time(s.nextFireAt), s.pipelineFile])));
      }),
    );
  schedule.command('remove <name>').action(async (name: string, _o: unknown, cmd: Command) => withPipelines(cmd, (p) => p.services.scheduleStore.deleteSchedule(name)));

  const trigger = pipelines.command('trigger').description('start a pipeline on registry events or HTTP calls');
  trigger
    .command('add <name> <file>')
    .requiredOption('--on <source>', 'http, or an event source: registry')
    .option('--event <type...>', "event types, e.g. model_version.created 'model_alias.*'")
    .option('--model <name>', 'only events of this registered model')
    .action(async (name: string, file: string, o: { on: string; event?: string[]; model?: string }, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        const t = await triggersOf(p).add({ name, pipelineFile: file, source: o.on, ...(o.event ? { eventTypes: o.event } : {}), ...(o.model ? { model: o.model } : {}) });
        console.log(t.source === 'http' ? `trigger ${t.name}: POST /api/v1/pipelines/triggers/${t.name}/fire on gyre server` : `trigger ${t.name}: on ${t.source} events ${(t.filter.eventTypes ?? ['*']).join(', ')} (fired by gyre pipelines scheduler)`);
      }),
    );
  trigger
    .command('list')
    .option('--json')
    .action(async (o: { json?: boolean }, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        const all = await p.services.scheduleStore.listTriggers();
        if (o.json) return printJson(all);
        console.log(table(['NAME', 'SOURCE', 'EVENTS', 'MODEL', 'PIPELINE'], all.map((t) => [t.name, t.source, (t.filter.eventTypes ?? ['*']).join(' '), t.filter.model, t.pipelineFile])));
      }),
    );
  trigger.command('remove <name>').action(async (name: string, _o: unknown, cmd: Command) => withPipelines(cmd, (p) => p.services.scheduleStore.deleteTrigger(name)));
  trigger
    .command('fire <name>')
    .option('--key <idempotency-key>', 'the same key starts one run however often it is sent')
    .action(async (name: string, o: { key?: string }, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        const triggers = triggersOf(p);
        console.log(await triggers.fire(name, o.key));
        await triggers.settled();
      }),
    );

  pipelines
    .command('scheduler')
    .description('fire schedules and event triggers until stopped (several may run: none duplicates a run)')
    .option('--interval-ms <ms>', 'how often to check', (v) => Number(v), 1000)
    .action(async (o: { intervalMs: number }, cmd: Command) =>
      withPipelines(cmd, async (p) => {
        if (!(o.intervalMs >= 100)) throw invalidArgument('--interval-ms must be at least 100.', { field: 'intervalMs' });
        const scheduler = schedulerOf(p);
        const triggers = triggersOf(p);
        console.log(`gyre pipelines scheduler: checking every ${o.intervalMs} ms`);
        let stopped = false;
        const stop = () => (stopped = true);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        while (!stopped) {
          await scheduler.tick().catch((err) => console.error(`schedule check failed: ${(err as Error).message}`));
          await triggers.poll().catch((err) => console.error(`trigger check failed: ${(err as Error).message}`));
          await new Promise((r) => setTimeout(r, o.intervalMs));
        }
        await Promise.all([scheduler.stop(), triggers.settled()]);
      }),
    );
}
