/** `gyre webhooks ...`: subscribe URLs to registry events and read the delivery log. */
import type { Command } from 'commander';
import { withGyre, printJson } from './context.js';
import { table, time } from './format.js';

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);

export function registerWebhooksCommand(program: Command): void {
  const webhooks = program.command('webhooks').description('HMAC-signed HTTP notifications of registry events and alerts');
  webhooks
    .command('create')
    .description('subscribe a URL; prints the signing secret once')
    .requiredOption('--name <name>', 'a name for people')
    .requiredOption('--endpoint <url>', 'http(s) URL that receives the POSTs (--url is the Gyre server)')
    .requiredOption('--events <list>', "comma-separated: 'model_version.created', 'model_alias.*' or '*'", list)
    .option('--model <name>', 'only events of this registered model')
    .option('--secret <secret>', 'signing secret (>= 16 chars); generated when absent')
    .option('--description <text>', 'what it is for')
    .option('--json', 'print JSON')
    .action(async (o: { name: string; endpoint: string; events: string[]; model?: string; secret?: string; description?: string; json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const hook = await gyre.webhooks.create({
          name: o.name,
          url: o.endpoint,
          events: o.events,
          ...(o.model ? { modelName: o.model } : {}),
          ...(o.secret ? { secret: o.secret } : {}),
          ...(o.description ? { description: o.description } : {}),
        });
        if (o.json) return printJson(hook);
        console.log(`webhook ${hook.id} created for ${hook.events.join(', ')} → ${hook.url}`);
        console.log(`signing secret (shown once; verify X-Gyre-Signature with it): ${hook.secret}`);
      }),
    );
  webhooks
    .command('list')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const hooks = await gyre.webhooks.list();
        if (o.json) return printJson(hooks);
        console.log(table(['ID', 'NAME', 'STATUS', 'EVENTS', 'MODEL', 'URL'], hooks.map((h) => [h.id, h.name, h.status, h.events.join(','), h.modelName ?? '*', h.url])));
      }),
    );
  for (const [verb, status] of [['enable', 'ACTIVE'], ['disable', 'DISABLED']] as const) {
    webhooks
      .command(`${verb} <id>`)
      .action(async (id: string, _o: unknown, cmd: Command) => withGyre(cmd, async (gyre) => void (await gyre.webhooks.update(id, { status }))));
  }
  webhooks.command('delete <id>').action(async (id: string, _o: unknown, cmd: Command) => withGyre(cmd, (gyre) => gyre.webhooks.delete(id)));
  webhooks
    .command('test <id>')
    .description('send a signed webhook.test ping now and show the answer')
    .action(async (id: string, _o: unknown, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const r = await gyre.webhooks.test(id);
        console.log(r.ok ? `ok: receiver answered ${r.responseStatus} in ${Math.round(r.durationMs)} ms` : `failed: ${r.error}`);
        if (!r.ok) process.exitCode = 1;
      }),
    );
  webhooks
    .command('deliveries <id>')
    .description('the delivery log of a webhook, newest event first')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { limit: string; json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const deliveries = await gyre.webhooks.deliveries(id, Number(o.limit));
        if (o.json) return printJson(deliveries);
        console.log(
          table(
            ['DELIVERY', 'EVENT', 'TYPE', 'STATUS', 'ATTEMPTS', 'LAST', 'NEXT', 'ERROR'],
            deliveries.map((d) => [d.id, d.eventId, d.eventType, d.status, d.attempts, d.lastResponseStatus, time(d.nextAttemptAt), d.lastError]),
          ),
        );
      }),
    );
}
