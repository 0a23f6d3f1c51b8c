/** `gyre experiments ...`: list, create, rename, delete, restore. */
import type { Command } from 'commander';
import { withGyre, printJson } from './context.js';
import { table, time } from './format.js';
import type { ViewType } from '../tracking/entities.js';

export function registerExperimentsCommand(program: Command): void {
  const experiments = program.command('experiments').description('manage experiments');
  experiments
    .command('list')
    .description('list experiments (MLflow filter syntax: name LIKE \'bike%\', tags.team = \'x\')')
    .option('--filter <expr>', 'filter expression')
    .option('--view <type>', 'ACTIVE_ONLY, DELETED_ONLY or ALL', 'ACTIVE_ONLY')
    .option('--json', 'print JSON')
    .action(async (opts: { filter?: string; view: string; json?: boolean }, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const page = await gyre.tracking.searchExperiments({ ...(opts.filter ? { filter: opts.filter } : {}), viewType: opts.view as ViewType, maxResults: 1000 });
        if (opts.json) return printJson(page.items);
        console.log(table(['ID', 'NAME', 'STAGE', 'CREATED'], page.items.map((e) => [e.experimentId, e.name, e.lifecycleStage, time(e.creationTime)])));
      }),
    );
  experiments
    .command('create <name>')
    .description('create an experiment')
    .action(async (name: string, _opts: unknown, cmd: Command) => withGyre(cmd, async (gyre) => console.log(await gyre.tracking.createExperiment({ name }))));
  experiments
    .command('rename <id> <new-name>')
    .action(async (id: string, newName: string, _o: unknown, cmd: Command) => withGyre(cmd, (gyre) => gyre.tracking.renameExperiment(id, newName)));
  experiments
    .command('delete <id>')
    .description('soft-delete an experiment and its runs (restore brings them back)')
    .action(async (id: string, _o: unknown, cmd: Command) => withGyre(cmd, (gyre) => gyre.tracking.deleteExperiment(id)));
  experiments
    .command('restore <id>')
    .action(async (id: string, _o: unknown, cmd: Command) => withGyre(cmd, (gyre) => gyre.tracking.restoreExperiment(id)));
}
