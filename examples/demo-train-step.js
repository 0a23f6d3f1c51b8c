// Demo step: train Gyre's own gradient-boosted trees on bike sharing (seeded random 80/20 split of
// the validated dataset version, DESIGN.md's features plus `yr`) with a short hyperparameter search
// (TPE, successive halving, trials on worker threads, each a nested run), evaluate on the held-out
// rows with a report, gate against a threshold and the current champion scored on the same rows,
// register the model as ONNX and move @champion only if the gate passed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIKE_FEATURES, getColumn, loadBikeSharing, randomSplit, selectRows } from '../dist/training/index.js';

const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
export const GBDT_FEATURES = [...BIKE_FEATURES, 'yr'];

export async function trainGbdtChampion(gyre, { experiment, dataVersion, say }) {
  const previous = await gyre.registry.getModel('bike-demand').then((m) => m.aliases.find((a) => a.alias === 'champion'), () => undefined);
  const r = await gyre.train({
    data: `${dataVersion.name}@${dataVersion.version}`,
    target: 'cnt',
    features: GBDT_FEATURES,
    seed: 42,
    experiment,
    params: { maxIter: 300 },
    search: { space: 'default', trials: 8, halving: true },
    gates: ['rmse <= 45', 'rmse <= champion * 0.99'],
    register: 'bike-demand',
    alias: 'champion',
    user: 'demo',
  });
  const s = r.search;
  say(`\n4. Gyre's gradient-boosted trees with a hyperparameter search: ${s.trials} trials (TPE + successive halving, on worker threads) in ${s.seconds.toFixed(1)} s, each a nested run`);
  say(`   best on the validation rows: RMSE ${s.bestValue.toFixed(1)} with learningRate ${s.bestParams.learningRate.toFixed(3)}, maxLeafNodes ${s.bestParams.maxLeafNodes}, minSamplesLeaf ${s.bestParams.minSamplesLeaf}`);
  say(`   refit on the training rows: RMSE ${r.metrics.rmse.toFixed(1)}, MAE ${r.metrics.mae.toFixed(1)}, R² ${r.metrics.r2.toFixed(3)} on the held-out 20% (scikit-learn HGB reference 40.7)`);
  const reportFile = path.join(gyre.config.home, 'reports', 'bike-demand-evaluation.html');
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  const chunks = [];
  for await (const chunk of await gyre.artifacts.download(r.runId, 'evaluation/report.html')) chunks.push(chunk);
  fs.writeFileSync(reportFile, Buffer.concat(chunks));
  say(`   ONNX Runtime vs the trainer on all ${r.testRows.toLocaleString('en')} test rows: max |Δ| = ${r.metrics.onnx_max_abs_diff.toExponential(2)}`);
  say(`   evaluation report (plots, champion side by side): ${path.relative(process.cwd(), reportFile)}`);
  say(`   gate ${r.gate.passed ? 'passed' : 'FAILED'}: ${r.gate.summary}`);
  say(`   registered bike-demand version ${r.registered.version}; @champion ${r.promoted ? (previous ? `moved from ${previous.version}` : 'set') : `stays at ${previous?.version} (the challenger did not beat it)`}`);

  const bike = loadBikeSharing(DATA);
  const test = selectRows(bike, randomSplit(bike.nRows, 0.2, 42).test);
  const record = (i) => Object.fromEntries(GBDT_FEATURES.map((f) => [f, getColumn(test, f).values[i]]));
  return { result: r, records: Array.from({ length: 200 }, (_, i) => record(i)) };
}
