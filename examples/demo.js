// The main job on the embedded default (.gyre/: SQLite + local artifact files, no services):
// track real baselines on the bike-sharing data, show the drift that makes continuous training
// worth automating, train Gyre's gradient-boosted trees and register them as ONNX with their
// lineage, talk to the same store through the MLflow-compatible REST API, and serve the champion.
//
//   npm install && npm run demo            (GYRE_HOME=/somewhere to keep it elsewhere)
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gyreOver, openServices, buildServer, resolveConfig } from '../dist/index.js';
import { validateDemoData } from './demo-data-step.js';
import { FEATURES, fitHourDayMean, fitMean, fitRidge, loadBikeSharing, randomSplit, regressionMetrics } from './bike-baselines.js';
import { GBDT_FEATURES, trainGbdtChampion } from './demo-train-step.js';
import { replay2012 } from './demo-replay-step.js';
import { formatLineage } from '../dist/registry/lineage/lineage-graph.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataFile = path.join(here, 'data', 'bike-sharing', 'hour.csv');
// `npm run demo -- --json`: the loop's summary as JSON on stdout, the narrative on stderr.
const asJson = process.argv.includes('--json');
const say = (text) => (asJson ? console.error(text) : console.log(text));

const rows = loadBikeSharing(dataFile);
const digest = createHash('sha256').update(fs.readFileSync(dataFile)).digest('hex').slice(0, 16);
const dataset = { name: 'bike-sharing-hourly', digest, sourceType: 'local', source: path.relative(process.cwd(), dataFile), schema: JSON.stringify({ columns: Object.keys(rows[0]) }) };
say(`Gyre demo: ${rows.length.toLocaleString('en')} hourly rows of Capital Bikeshare demand (2011-2012), dataset digest ${digest}\n`);

// One set of services (one database handle) for the whole demo; the SDK runs over it.
const config = resolveConfig({ remoteUrl: null });
const services = await openServices(config);
const gyre = gyreOver(services, config);
say(`Tracking into ${gyre.config.home} (${gyre.config.databaseUrl === 'sqlite:' ? 'embedded SQLite, WAL' : gyre.config.databaseUrl})`);
const dataVersion = await validateDemoData(gyre, dataFile, say);

// 1. Baselines on a seeded random 80/20 split: one parent run, a nested run per model.
const { train, test } = randomSplit(rows, 0.2, 42);
const parent = await gyre.startRun({ experiment: 'bike-demand', runName: 'baselines-random-split', tags: { purpose: 'demo', split: 'random-80-20-seed-42' } });
await parent.logInputs([{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }]);
await parent.logDatasetVersion(dataVersion, 'training');
await parent.logParams({ target: 'cnt', features: FEATURES.join(','), test_share: 0.2, seed: 42 });
const results = [];
for (const fit of [fitMean, fitHourDayMean, fitRidge]) {
  const started = performance.now();
  const model = fit(train);
  const metrics = regressionMetrics(test.map((r) => r.cnt), test.map((r) => model.predict(r)));
  const child = await gyre.startRun({ experiment: 'bike-demand', runName: model.name, parentRunId: parent.id });
  await child.logInputs([{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }]);
  await child.logParams({ model: model.name, ...model.params });
  await child.logMetrics({ ...metrics, fit_ms: performance.now() - started });
  await child.end();
  results.push({ model: model.name, ...metrics, runId: child.id });
}
const best = results.reduce((a, b) => (a.rmse <= b.rmse ? a : b));
await parent.logMetrics({ best_rmse: best.rmse });
await parent.setTags({ best_model: best.model });
await parent.logText('summary.json', JSON.stringify({ results, reference: 'scikit-learn HistGradientBoosting: RMSE 40.7 (DESIGN.md §6)' }, null, 2));
await parent.end();
say('\n1. Baselines, random 80/20 split (nested runs under one parent):');
for (const r of results) say(`   ${r.model.padEnd(18)} RMSE ${r.rmse.toFixed(1).padStart(6)}   MAE ${r.mae.toFixed(1).padStart(6)}   R² ${r.r2.toFixed(3)}`);
say(`   best baseline: ${best.model}; Gyre's gradient-boosted trees follow in step 4`);

// 2. Drift: a model trained on 2011 and frozen, against one retrained monthly on the last 180 days.
const byMonth = (y, m) => rows.filter((r) => r.dteday.startsWith(`${y}-${String(m).padStart(2, '0')}`));
const frozenModel = fitRidge(rows.filter((r) => r.dteday.startsWith('2011')));
const frozen = await gyre.startRun({ experiment: 'bike-demand', runName: 'frozen-2011-vs-monthly-retrain', tags: { purpose: 'drift' } });
await frozen.logInputs([{ dataset, tags: [{ key: 'mlflow.data.context', value: 'evaluation' }] }]);
await frozen.logParams({ model: 'ridge-onehot', retrain_window_days: 180, retrain_every: 'month' });
let frozenSum = 0, retrainSum = 0;
for (let m = 1; m <= 12; m++) {
  const month = byMonth(2012, m);
  const monthStart = new Date(`2012-${String(m).padStart(2, '0')}-01T00:00:00Z`).getTime();
  const window = rows.filter((r) => { const t = new Date(`${r.dteday}T00:00:00Z`).getTime(); return t < monthStart && t >= monthStart - 180 * 86400_000; });
  const retrained = fitRidge(window);
  const actual = month.map((r) => r.cnt);
  const frozenRmse = regressionMetrics(actual, month.map((r) => frozenModel.predict(r))).rmse;
  const retrainRmse = regressionMetrics(actual, month.map((r) => retrained.predict(r))).rmse;
  frozenSum += frozenRmse;
  retrainSum += retrainRmse;
  await frozen.logMetrics({ rmse_frozen_2011: frozenRmse, rmse_retrained_180d: retrainRmse }, m);
}
await frozen.logMetrics({ mean_rmse_frozen_2011: frozenSum / 12, mean_rmse_retrained_180d: retrainSum / 12 }, 12);
await frozen.end();
say(`\n2. Drift over 2012 (monthly metric histories in run ${frozen.id}):`);
say(`   frozen 2011 model mean RMSE ${(frozenSum / 12).toFixed(1)}  vs  retrained monthly on last 180 days ${(retrainSum / 12).toFixed(1)}`);
say('   → demand grew; a model left alone rots. Closing that loop automatically is what Gyre is for.');

// 3. Search with the MLflow filter language, plus what MLflow lacks: OR and parentheses.
const experiment = await gyre.tracking.getExperimentByName('bike-demand');
const found = await gyre.tracking.searchRuns({
  experimentIds: [experiment.experimentId],
  filter: `metrics.rmse < 150 OR (params.model = 'global-mean' AND tags."mlflow.parentRunId" = '${parent.id}')`,
  orderBy: ['metrics.rmse ASC'],
  maxResults: 10,
});
say(`\n3. Search "metrics.rmse < 150 OR (params.model = 'global-mean' AND ...)" ordered by rmse: ${found.items.map((r) => r.info.runName).join(', ')}`);

// 4. The training loop as a cached pipeline: validate → train (short search) → evaluate → gate → register → promote → deploy.
const { records: servingRecords } = await trainGbdtChampion(services, gyre, { dataFile, say });
say('   Lineage of bike-demand@champion:');
say(formatLineage(await gyre.models.lineage('bike-demand@champion')).replace(/^/gm, '     '));
const cardFile = path.join(gyre.config.home, 'model-card-bike-demand.html');
fs.writeFileSync(cardFile, await gyre.models.card('bike-demand@champion', 'html'));
say(`   Model card: ${path.relative(process.cwd(), cardFile)}`);

// 5. The same store through the MLflow REST API, as `MLFLOW_TRACKING_URI=http://...` clients use it.
const app = await buildServer({ services });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
const mlflow = async (endpoint, body) => {
  const res = await fetch(`${url}/api/2.0/mlflow/${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
};
const created = await mlflow('runs/create', { experiment_id: experiment.experimentId, run_name: 'mlflow-client-run', start_time: Date.now(), tags: [{ key: 'mlflow.source.name', value: 'demo.js' }] });
const runId = created.run.info.run_id;
await mlflow('runs/log-batch', { run_id: runId, params: [{ key: 'model', value: 'from-mlflow-api' }], metrics: [{ key: 'rmse', value: best.rmse, timestamp: Date.now(), step: 0 }] });
await mlflow('runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });
const viaMlflow = await mlflow('runs/search', { experiment_ids: [experiment.experimentId], filter: "params.model = 'from-mlflow-api'" });
say(`\n5. MLflow REST API at ${url}/api/2.0/mlflow: created, logged and found run ${viaMlflow.runs?.[0]?.info.run_id} (${viaMlflow.runs?.[0]?.info.status})`);

// 6. Serve the champion: a deployment follows bike-demand@champion; real requests go through the
//    records endpoint (raw feature values) and the Open Inference Protocol (tensors).
const deploymentName = 'bike-demand';
const existing = await services.serving.deployments.list();
if (!existing.some((d) => d.name === deploymentName)) await services.serving.deployments.create(deploymentName, { model: 'bike-demand@champion' }, { user: 'demo' });
const manager = services.serving.start({ pollMs: 200 });
await manager.sync();
const post = async (p, body) => {
  const t0 = performance.now();
  const res = await fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { ms: performance.now() - t0, body: await res.json() };
};
const hours = servingRecords;
const recordLatencies = [];
let lastRecords;
for (const r of hours) {
  lastRecords = await post(`/api/v1/deployments/${deploymentName}/predict`, { records: [r] });
  recordLatencies.push(lastRecords.ms);
}
const oip = await post(`/v2/models/${deploymentName}/infer`, { inputs: GBDT_FEATURES.map((f) => ({ name: f, shape: [hours.length, 1], datatype: 'FP64', data: hours.map((r) => r[f]) })) });
const sorted = recordLatencies.sort((a, b) => a - b);
const pct = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
say(`\n6. Deployment '${deploymentName}' serves bike-demand@champion (version ${lastRecords.body.modelVersion}) over HTTP:`);
say(`   records endpoint, ${hours.length} single-hour requests one after another: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms (HTTP round trip on loopback)`);
say(`   a prediction: ${JSON.stringify(lastRecords.body.predictions[0])} rentals that hour; OIP batch of ${hours.length} rows in ${oip.ms.toFixed(1)} ms, version ${oip.body.model_version}`);
await app.close();
await services.close();

// 7. Close the loop: replay 2012 against a champion trained on 2011, with continuous training.
const loop = await replay2012({ dataFile, say });
if (asJson) console.log(JSON.stringify(loop, null, 2));

say(`\nDone. Look around:
   npx gyre runs list -e bike-demand --order-by 'metrics.rmse ASC'
   npx gyre runs show ${best.runId}
   npx gyre models show bike-demand && npx gyre models lineage bike-demand@champion
   npx gyre server            # MLflow clients: MLFLOW_TRACKING_URI=http://127.0.0.1:5000; OIP: /v2/models/bike-demand/infer`);
