// Demo step: the training loop as a pipeline — data → validate → train (a short TPE search with
// successive halving, trials on worker threads, each a nested run) → evaluate (the logged ONNX model
// and the current champion, through ONNX Runtime, on the same held-out rows) → gate → register →
// promote @champion → deploy. Steps are cached: run the demo twice and the second run reuses the data
// check and the training, re-evaluates against the champion the first run promoted, and the gate
// keeps an equal model from being registered again.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineService, dataAddStep, definePipeline, deployStep, evaluateStep, gateStep, promoteStep, registerStep, trainStep, validateStep } from '../dist/index.js';
import { renderStatusGraph } from '../dist/pipelines/status-graph.js';
import { readValue } from '../dist/pipelines/step-outputs.js';
import { BIKE_FEATURES, getColumn, loadBikeSharing, randomSplit, selectRows } from '../dist/training/index.js';
import { BIKE_SUITE } from './demo-data-step.js';

const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
export const GBDT_FEATURES = [...BIKE_FEATURES, 'yr'];

export const bikePipeline = (dataFile) =>
  definePipeline({
    name: 'bike-demand-loop',
    steps: [
      dataAddStep({ name: 'data', dataset: 'bike-sharing-hourly', source: dataFile }),
      validateStep({ name: 'validate', data: 'data.version', suite: BIKE_SUITE }),
      trainStep({
        name: 'train',
        data: 'data.version',
        after: ['validate'],
        job: { target: 'cnt', features: GBDT_FEATURES, seed: 42, experiment: 'bike-demand', params: { maxIter: 300 }, search: { space: 'default', trials: 8, halving: true } },
      }),
      evaluateStep({ name: 'evaluate', run: 'train.runId', data: 'data.version', job: { target: 'cnt', champion: 'bike-demand@champion' } }),
      gateStep({ name: 'gate', evaluation: 'evaluate.evaluation', rules: ['rmse <= 45', 'rmse <= champion * 0.99'] }),
      registerStep({ name: 'register', run: 'train.runId', gate: 'gate.decision', model: 'bike-demand', when: 'gate.passed' }),
      promoteStep({ name: 'promote', version: 'register.registered', alias: 'champion' }),
      deployStep({ name: 'deploy', after: ['promote'], deployment: 'bike-demand', model: 'bike-demand@champion' }),
    ],
  });

export async function trainGbdtChampion(services, gyre, { dataFile, say }) {
  const pipelines = new PipelineService(services, services.pipelineStore, 'demo');
  const pipeline = bikePipeline(dataFile);
  const result = await pipelines.run(pipeline);
  const state = (name) => result.steps.find((s) => s.step === name);
  const output = async (step, name) => readValue(services.artifactStore, state(step).outputs.find((o) => o.name === name));
  say(`\n4. The training loop as a pipeline (run ${result.runId}, ${result.status}):`);
  say(renderStatusGraph(pipeline.definition, result.steps).replace(/^/gm, '   '));
  if (result.error) throw new Error(`The demo pipeline failed: ${result.error}`);
  const cached = result.steps.filter((s) => s.status === 'cached').map((s) => s.step);
  if (cached.length) say(`   unchanged since the last run, reused from cache: ${cached.join(', ')}`);

  const trainRun = await gyre.tracking.getRun(await output('train', 'runId'));
  const metric = (k) => trainRun.data.metrics.find((m) => m.key === k)?.value;
  const param = (k) => trainRun.data.params.find((p) => p.key === k)?.value;
  say(`   train: ${metric('search_trials')} search trials (TPE + successive halving, on worker threads), best validation RMSE ${metric('search_best_validation_rmse')?.toFixed(1)} with learningRate ${Number(param('param.learningRate')).toFixed(3)}, maxLeafNodes ${param('param.maxLeafNodes')}`);
  say(`          refit: RMSE ${metric('rmse').toFixed(1)}, R² ${metric('r2').toFixed(3)} on the held-out 20% (scikit-learn HGB reference 40.7); ONNX parity max |Δ| ${metric('onnx_max_abs_diff').toExponential(2)}`);
  const evaluation = await output('evaluate', 'evaluation');
  const champion = evaluation.champion;
  say(`   evaluate (ONNX Runtime): RMSE ${evaluation.metrics.rmse.toFixed(1)}; ${champion ? `champion ${champion.ref} (version ${champion.version}) on the same rows: RMSE ${champion.metrics.rmse.toFixed(1)}` : 'no champion yet'}`);
  const decision = await output('gate', 'decision');
  say(`   gate ${decision.passed ? 'passed' : 'FAILED'}: ${decision.summary}`);
  const live = await gyre.registry.resolve('bike-demand@champion');
  say(`   bike-demand@champion is version ${live.version}${state('register').status === 'succeeded' ? ' (registered and promoted by this run)' : ' (kept: nothing new to promote)'}`);

  const reportFile = path.join(gyre.config.home, 'reports', 'bike-demand-evaluation.html');
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  const chunks = [];
  for await (const chunk of await gyre.artifacts.download(trainRun.info.runId, 'evaluation/onnx-report.html')) chunks.push(chunk);
  fs.writeFileSync(reportFile, Buffer.concat(chunks));
  say(`   evaluation report (plots, champion side by side): ${path.relative(process.cwd(), reportFile)}`);

  const bike = loadBikeSharing(DATA);
  const test = selectRows(bike, randomSplit(bike.nRows, 0.2, 42).test);
  const record = (i) => Object.fromEntries(GBDT_FEATURES.map((f) => [f, getColumn(test, f).values[i]]));
  return { records: Array.from({ length: 200 }, (_, i) => record(i)) };
}
