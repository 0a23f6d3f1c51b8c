/** `gyre`: the command line. One file per noun; this one only assembles them. */
import { Command, CommanderError } from 'commander';
import { GYRE_VERSION } from '../core/version.js';
import { reportError } from './context.js';
import { registerServerCommand } from './server-command.js';
import { registerRunCommand } from './run-command.js';
import { registerExperimentsCommand } from './experiments-command.js';
import { registerRunsCommand } from './runs-command.js';
import { registerWebhooksCommand } from './webhooks-command.js';
import { registerModelsCommand } from './models-command.js';
import { registerDeployCommand } from './deploy-command.js';
import { registerDataCommand } from './data-command.js';
import { registerMonitorCommand } from './monitor-command.js';
import { registerTrainCommand } from './train-command.js';
import { registerRetrainingCommand } from './retraining-command.js';
import { registerPipelinesCommand, registerWorkerCommand } from './pipelines-command.js';

export function buildProgram(): Command {
  const program = new Command('gyre')
    .description('Gyre: the machine-learning lifecycle in one tool. Tracking speaks MLflow\'s REST API.')
    .version(GYRE_VERSION)
    .option('--home <dir>', 'folder of the embedded stores (env GYRE_HOME, default ./.gyre)')
    .option('--url <url>', 'talk to a remote Gyre server (env GYRE_URL)')
    .showHelpAfterError()
    .exitOverride();
  registerServerCommand(program);
  registerRunCommand(program);
  registerExperimentsCommand(program);
  registerRunsCommand(program);
  registerModelsCommand(program);
  registerDeployCommand(program);
  registerWebhooksCommand(program);
  registerDataCommand(program);
  registerTrainCommand(program);
  registerMonitorCommand(program);
  registerRetrainingCommand(program);
  registerPipelinesCommand(program);
  registerWorkerCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.exitCode = reportError(err);
  }
}
