/** `gyre train`: fit a built-in model on a file or dataset version, track it, log it as ONNX, register it. */
import type { Command } from 'commander';
import { cliActor, withGyre, printJson } from './context.js';
import { runTrainJob } from '../training/train-job.js';
import type { SearchJob } from '../training/train-job.js';
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

function searchJob(o: Record<string, unknown>): SearchJob {
  return {
    space: o.search as string,
    ...(o.searchMethod ? { method: o.searchMethod as SearchJob['method'] } : {}),
    ...(o.trials !== undefined ? { trials: o.trials as number } : {}),
    ...(o.timeBudget !== undefined ? { timeBudgetSeconds: o.timeBudget as number } : {}),
    ...(o.halving ? { halving: true } : {}),
    ...(o.threads !== undefined ? { threads: o.threads as number } : {}),
    ...(o.searchMetric ? { metric: o.searchMetric as string } : {}),
  };
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('fit gradient-boosted trees or a linear model (optionally searching hyperparameters), evaluate on held-out rows with a report, gate against thresholds and the champion, log the model as ONNX, register and promote it')
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
    .option('--search <space>', "hyperparameter search: 'learningRate=0.02..0.3:log,maxLeafNodes=15|31|63' or 'default' (docs/training.md)")
    .option('--search-method <method>', 'tpe (default) or random')
    .option('--trials <n>', 'search budget in trials (default 20)', Number)
    .option('--time-budget <seconds>', 'search budget in seconds (stops starting new trials)', Number)
    .option('--halving', 'successive halving over maxIter (η = 3, from 10 iterations): prune weak trials early')
    .option('--threads <n>', 'parallel trials on worker threads (default: 2 or the cores available)', Number)
    .option('--search-metric <metric>', 'objective on the validation rows (default rmse or log_loss)')
    .option('--gate <rule...>', "gate rules, e.g. 'auc >= 0.9' 'dp_difference <= 0.1' 'rmse <= champion * 0.98'; with --alias the alias moves only if all pass (exit 1 if not)")
    .option('--champion <NAME@ALIAS|NAME/VERSION>', 'the model to compare with on the same held-out rows (default: --register@--alias)')
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
          ...(o.search ? { search: searchJob(o) } : {}),
          ...(o.gate ? { gates: o.gate as string[] } : {}),
          ...(o.champion ? { champion: o.champion as string } : {}),
          readOptions: { ...(o.null ? { nullValues: o.null } : {}), ...(o.trim ? { trim: true } : {}) },
          user: cliActor().user,
        });
        if (result.gate && !result.gate.passed) process.exitCode = 1;
        if (o.json) return printJson(result);
        if (result.search) console.log(`search: ${result.search.trials} trials in ${result.search.seconds.toFixed(1)} s (stopped by ${result.search.stoppedBy}); best validation ${result.search.metric} ${Number(result.search.bestValue.toPrecision(5))} with ${JSON.stringify(result.search.bestParams)}`);
        const m = Object.entries(result.metrics).filter(([k]) => !k.includes('/')).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(', ');
        console.log(`trained ${result.model} (${result.task}) on ${result.trainRows} rows; on ${result.testRows} held-out rows: ${m}`);
        console.log(`run ${result.runId}; model logged as ONNX under its artifacts (model/)`);
        console.log(`evaluation report: artifacts evaluation/report.html and evaluation/report.json of the run`);
        if (result.champion) console.log(`champion ${result.champion.ref} (version ${result.champion.version}) on the same rows: ${Object.entries(result.champion.metrics).filter(([k]) => !k.includes('/')).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(', ')}`);
        if (result.gate) console.log(`gate ${result.gate.passed ? 'PASSED' : 'FAILED'}: ${result.gate.summary}`);
        if (result.registered) console.log(`registered ${result.registered.name} version ${result.registered.version}${result.promoted ? ` (@${o.alias} now points at it)` : o.alias ? ` (@${o.alias} not moved: the gate failed)` : ''}`);
      }),
    );
}
