/** `gyre train`: fit a built-in model on a file or dataset version, track it, log it as ONNX, register it. */
import type { Command } from 'commander';
import { cliActor, withGyre, printJson } from './context.js';
import { runTrainJob } from '../training/train-job.js';
import { invalidArgument } from '../core/errors.js';

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/** `learningRate=0.05,maxIter=300` → typed values. */
function parseParams(text?: string): Record<string, number | string | boolean> | undefined {
  if (!text) return undefined;
  return Object.fromEntries(
    list(text).map((pair) => {
      const [k, v] = pair.split('=');
      if (!k || v === undefined) throw invalidArgument(`--params '${pair}' is not key=value.`, { field: 'params' });
      const n = Number(v);
      return [k.trim(), v === 'true' ? true : v === 'false' ? false : Number.isFinite(n) && v.trim() !== '' ? n : v.trim()];
    }),
  );
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('fit gradient-boosted trees or a linear model, evaluate on held-out rows, track the run, log the model as ONNX')
    .requiredOption('--data <file|NAME@VERSION>', 'training data (CSV, Parquet, JSON, or a dataset version)')
    .requiredOption('--target <column>', 'the column to predict (numbers: regression; text: classification)')
    .option('--test <file|NAME@VERSION>', 'evaluate on this data instead of a random split')
    .option('--test-share <share>', 'held-out share of --data when no --test (default 0.2)', Number)
    .option('--model <kind>', 'gbdt (default) or linear', 'gbdt')
    .option('--features <names>', 'feature columns (default: all but the target)', list)
    .option('--categorical <names>', 'numeric columns to treat as categories', list)
    .option('--params <k=v,...>', 'trainer parameters, e.g. learningRate=0.05,maxIter=300 (docs/training.md)')
    .option('--seed <n>', 'split and trainer seed', Number)
    .option('--experiment <name>', 'experiment of the run (default: training)')
    .option('--register <name>', 'register the trained model under this name')
    .option('--alias <alias>', 'with --register: point this alias at the new version')
    .option('--sensitive <column>', 'binary classification: per-group metrics and fairness (demographic parity, equalized odds differences)')
    .option('--null <value...>', 'values read as missing in files')
    .option('--trim', 'strip whitespace around text values in files')
    .option('--json', 'print JSON: run id, test metrics, registered version')
    .action(async (o: Record<string, unknown>, cmd: Command) =>
      withGyre(cmd, async (gyre) => {
        const result = await runTrainJob(gyre, {
          data: o.data as string,
          target: o.target as string,
          ...(o.test ? { test: o.test as string } : {}),
          ...(o.testShare !== undefined ? { testShare: o.testShare as number } : {}),
          model: o.model as 'gbdt',
          ...(o.features ? { features: o.features as string[] } : {}),
          ...(o.categorical ? { categorical: o.categorical as string[] } : {}),
          ...(parseParams(o.params as string | undefined) ? { params: parseParams(o.params as string)! } : {}),
          ...(o.seed !== undefined ? { seed: o.seed as number } : {}),
          ...(o.experiment ? { experiment: o.experiment as string } : {}),
          ...(o.register ? { register: o.register as string } : {}),
          ...(o.alias ? { alias: o.alias as string } : {}),
          ...(o.sensitive ? { sensitive: o.sensitive as string } : {}),
          readOptions: { ...(o.null ? { nullValues: o.null } : {}), ...(o.trim ? { trim: true } : {}) },
          user: cliActor().user,
        });
        if (o.json) return printJson(result);
        const m = Object.entries(result.metrics).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(', ');
        console.log(`trained ${result.model} (${result.task}) on ${result.trainRows} rows; on ${result.testRows} held-out rows: ${m}`);
        console.log(`run ${result.runId}; model logged as ONNX under its artifacts (model/)`);
        if (result.registered) console.log(`registered ${result.registered.name} version ${result.registered.version}${result.registered.aliases.length ? ` (@${result.registered.aliases.join(' @')})` : ''}`);
      }),
    );
}
