// Demo step: close the loop. A champion trained on 2011 serves 2012 hour by hour on a simulated
// clock; ground truth arrives 24 simulated hours after each prediction; a retraining policy retrains
// on the last 180 days of labelled data (the 2011 history plus what production saw), scores the
// challenger and the champion on the newest labelled week, and promotes only a challenger that wins.
// No person in the loop. At the end: retrainings, promotions, and the RMSE over 2012 of the
// predictions actually served, next to the frozen 2011 model's.
import fs from 'node:fs';
import path from 'node:path';
import { ContinuousTrainer, gyreOver, monitoringAlertSink, openServices, parseRetrainingPolicy, resolveConfig } from '../dist/index.js';
import { datasetRows, windowFrame, splitAt } from '../dist/continuous-training/training-window.js';
import { scorePackage } from '../dist/training/gates/score-package.js';
import { GBDT_FEATURES } from './demo-train-step.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEPLOYMENT = 'bike-replay';
const hourOf = (row) => Date.parse(`${row.dteday}T00:00:00Z`) + Number(row.hr) * HOUR;

/** Splits the bundled file by year: 2011 is the history the champion and the policy start from. */
function yearFiles(home, dataFile) {
  const [header, ...lines] = fs.readFileSync(dataFile, 'utf8').trim().split('\n');
  const cols = header.split(',');
  const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
  const file2011 = path.join(home, 'replay', 'bike-2011.csv');
  fs.mkdirSync(path.dirname(file2011), { recursive: true });
  fs.writeFileSync(file2011, [header, ...lines.filter((l, i) => rows[i].dteday.startsWith('2011'))].join('\n') + '\n');
  const hours2012 = rows.filter((r) => r.dteday.startsWith('2012')).map((r) => ({ at: hourOf(r), cnt: Number(r.cnt), record: Object.fromEntries(GBDT_FEATURES.map((f) => [f, Number(r[f])])) }));
  return { file2011, hours2012 };
}

export async function replay2012({ dataFile, say }) {
  const started = performance.now();
  // Its own embedded store, fresh each run: a replay must start from the 2011 champion with an empty
  // inference log, or a second run would train on the first run's labels.
  const main = resolveConfig();
  const home = path.join(main.home, 'replay-2012');
  fs.rmSync(home, { recursive: true, force: true });
  const config = resolveConfig({ home });
  const { file2011, hours2012 } = yearFiles(config.home, dataFile);
  let now = hours2012[0].at;
  const clock = () => now;
  const services = await openServices(config);
  const gyre = gyreOver(services, config);
  try {
    // The 2011 history as a dataset version, and a champion trained on it (its last two weeks held out).
    const { version: history } = await gyre.data.add({ name: 'bike-sharing-2011', source: file2011, createdBy: 'demo' });
    const historyRef = `${history.name}@${history.version}`;
    const table = await gyre.data.readColumns(historyRef);
    const kinds = [...GBDT_FEATURES, 'cnt'].map((name) => ({ name, numeric: true }));
    const policyInput = {
      deployment: DEPLOYMENT,
      model: DEPLOYMENT,
      alias: 'champion',
      target: 'cnt',
      trainer: { model: 'gbdt' },
      data: { dataset: historyRef, timeColumn: 'dteday', hourColumn: 'hr', windowDays: 180 },
      evaluationDays: 7,
      gates: ['rmse <= champion * 0.99'],
      triggers: { everyDays: 7, onAlerts: ['performance'] },
      guardRails: { coolDownHours: 72, maxPerWeek: 2 },
    };
    const policy = parseRetrainingPolicy(policyInput);
    const rows2011 = datasetRows(policy, table.columns, [...GBDT_FEATURES, 'cnt']);
    const { frame, times } = windowFrame([rows2011], kinds, Date.UTC(2011, 0, 1), Date.UTC(2012, 0, 1));
    const { train, test } = splitAt(frame, times, Date.UTC(2011, 11, 18));
    const { registered: champion } = await gyre.train({ frames: { train, test, label: `${historyRef} (2011)` }, target: 'cnt', features: GBDT_FEATURES, experiment: `retraining-${DEPLOYMENT}`, register: DEPLOYMENT, alias: 'champion', user: 'demo' });
    const frozen = await gyre.models.loadPackage(`${DEPLOYMENT}/${champion.version}`);

    // Serve it on the simulated clock, with the policy watching.
    await services.serving.deployments.create(DEPLOYMENT, { model: `${DEPLOYMENT}@champion` }, { user: 'demo' });
    const manager = services.serving.start({ pollMs: 24 * HOUR, clock });
    await manager.sync();
    // Monitoring: a reference profile of 2011 (weather and hour of day: calendar columns are nearly
    // constant within a window and would always drift), weekly windows, labels a day late.
    const monitored = ['hr', 'holiday', 'workingday', 'weathersit', 'temp', 'atemp', 'hum', 'windspeed'];
    await services.monitoring.profiles.fromDataset('bike-2011', historyRef, { columns: monitored, predictionColumn: 'cnt' });
    await services.monitoring.create('bike-replay-weekly', {
      deployment: DEPLOYMENT,
      profile: 'bike-2011',
      window: { kind: 'time', ms: 7 * DAY },
      startAt: now,
      labelDelayMs: DAY,
      columns: monitored,
      rules: [{ kind: 'performance', metric: 'rmse', worseBy: 0.2, severity: 'critical' }, { kind: 'dataset_drift' }, { kind: 'prediction_drift' }],
    });
    const raised = [];
    services.monitoring.onAlert((e) => {
      if (e.type === 'alert.raised') raised.push(e.alert);
    });
    const store = services.retraining;
    await store.putPolicy(policy, now);
    const trainer = new ContinuousTrainer({
      gyre,
      inferenceLog: services.serving.inferenceLog,
      store,
      deployments: services.serving.deployments,
      clock,
      afterPromotion: () => manager.sync(),
      alerts: monitoringAlertSink(services.monitoring),
    });

    say(`\n7. Closing the loop: ${DEPLOYMENT}@champion (version ${champion.version}, trained on 2011) serves 2012 hour by hour on a simulated clock;`);
    say(`   labels arrive 24 h after each prediction; a weekly monitor checks drift and RMSE; the policy retrains weekly and on performance alerts,`);
    say(`   on the last 180 days, and promotes only a challenger that beats the champion by 1% on the newest labelled week.`);
    const served = [];
    const monitorAlerts = [];
    const pendingLabels = [];
    let labelled = 0;
    for (let i = 0; i < hours2012.length; i++) {
      const h = hours2012[i];
      now = h.at;
      const res = await manager.predict(DEPLOYMENT, [h.record], { headers: {}, requestId: `replay-${h.at}` });
      served.push({ at: h.at, actual: h.cnt, predicted: res.predictions[0].prediction, version: res.modelVersion });
      pendingLabels.push({ requestId: `replay-${h.at}`, label: h.cnt, due: h.at + DAY });
      const ready = [];
      while (labelled < pendingLabels.length && pendingLabels[labelled].due <= now) ready.push(pendingLabels[labelled++]);
      if (ready.length) await services.serving.inferenceLog.putLabels(DEPLOYMENT, ready.map((l) => ({ requestId: l.requestId, label: l.label, timestamp: now })));
      if (h.at % (6 * HOUR) === 0) {
        await services.serving.flushLog();
        await services.monitoring.runDue(now);
        // A performance alert asks the policy for a retraining (guard rails decide).
        for (const a of raised.splice(0)) {
          monitorAlerts.push(a);
          if (!a.monitor.startsWith('retraining:')) await trainer.onAlert({ deployment: a.deployment, rule: a.rule });
        }
        await trainer.tick();
      }
      if (i % 500 === 499 && process.stdout.isTTY) process.stdout.write(`   … ${new Date(now).toISOString().slice(0, 10)}: ${i + 1} hours served\r`);
    }
    await services.serving.flushLog();
    const events = (await store.events(DEPLOYMENT, 10_000)).reverse();
    const rmse = (pairs) => Math.sqrt(pairs.reduce((s, p) => s + (p.actual - p.predicted) ** 2, 0) / pairs.length);
    const frozenPredictions = await scorePackage(frozen.onnx, frozen.manifest, windowFrame([{ times: hours2012.map((h) => h.at), values: Object.fromEntries(kinds.map((k) => [k.name, hours2012.map((h) => (k.name === 'cnt' ? h.cnt : h.record[k.name]))])) }], kinds, -Infinity, Infinity).frame);
    const frozenRmse = rmse(hours2012.map((h, i) => ({ actual: h.cnt, predicted: frozenPredictions.values[i] })));
    const servedRmse = rmse(served);
    const count = (o) => events.filter((e) => e.outcome === o).length;
    const firstPerf = monitorAlerts.find((a) => a.rule.startsWith('performance'));
    const summary = {
      hoursServed: served.length,
      rmse2012Served: servedRmse,
      rmse2012FrozenChampion: frozenRmse,
      retrainings: events.filter((e) => e.outcome !== 'skipped').length,
      promotions: count('promoted'),
      rejected: count('rejected'),
      skipped: count('skipped'),
      failed: count('failed'),
      versionsServed: [...new Set(served.map((s) => s.version))],
      alerts: monitorAlerts.map((a) => ({ raisedAt: new Date(a.raisedAt).toISOString(), source: a.monitor, rule: a.rule, severity: a.severity, message: a.message })),
      firstPerformanceAlert: firstPerf ? { raisedAt: new Date(firstPerf.raisedAt).toISOString(), daysAfterServingBegan: (firstPerf.raisedAt - hours2012[0].at) / DAY } : null,
      retrainingsTriggeredByAlerts: events.filter((e) => e.trigger.startsWith('alert:') && e.outcome !== 'skipped').length,
      wallSeconds: (performance.now() - started) / 1000,
    };
    say(`   ${summary.hoursServed.toLocaleString('en')} hours served; ${summary.retrainings} retrainings: ${summary.promotions} promoted, ${summary.rejected} rejected by the gate, ${summary.failed} failed; ${summary.skipped} skipped by guard rails or lack of data`);
    for (const e of events.filter((x) => x.outcome === 'promoted').slice(0, 3)) say(`   ${new Date(e.at).toISOString().slice(0, 10)} ${e.trigger}: ${e.reason}`);
    if (summary.promotions > 3) say(`   … and ${summary.promotions - 3} more promotions: npx gyre --home ${path.relative(process.cwd(), home)} retraining history ${DEPLOYMENT}`);
    say(`   RMSE over 2012 of the predictions actually served: ${servedRmse.toFixed(1)}  (the frozen 2011 model: ${frozenRmse.toFixed(1)}; weekly retraining on 180 days in scikit-learn: 60)`);
    const byRule = Object.entries(monitorAlerts.reduce((acc, a) => ({ ...acc, [a.rule]: (acc[a.rule] ?? 0) + 1 }), {})).map(([r, n]) => `${r} ×${n}`).join(', ');
    say(`   alerts raised: ${monitorAlerts.length} (${byRule || 'none'})${firstPerf ? `;\n   the first performance alert came ${summary.firstPerformanceAlert.daysAfterServingBegan.toFixed(1)} simulated days after 2012 began (${summary.firstPerformanceAlert.raisedAt.slice(0, 16)}): ${firstPerf.message}` : ''}`);
    say(`   retrainings started by alerts: ${summary.retrainingsTriggeredByAlerts}; replay took ${summary.wallSeconds.toFixed(0)} s`);
    return summary;
  } finally {
    await services.close();
  }
}
