// The demo's data gate: version the training data by content, validate it against an expectation
// suite, and stop before training if it fails. The HTML report is written under GYRE_HOME.
import fs from 'node:fs';
import path from 'node:path';
import { suite, renderReportHtml } from '../dist/index.js';

// What the bike-sharing data must look like (examples/data/README.md describes the columns).
export const BIKE_SUITE = suite('bike-sharing-hourly')
  .columnSet(['instant', 'dteday', 'season', 'yr', 'mnth', 'hr', 'holiday', 'weekday', 'workingday', 'weathersit', 'temp', 'atemp', 'hum', 'windspeed', 'casual', 'registered', 'cnt'])
  .unique('instant')
  .compoundUnique(['dteday', 'hr'])
  .columnType('dteday', 'date')
  .between('hr', { min: 0, max: 23 })
  .between('mnth', { min: 1, max: 12 })
  .inSet('season', [1, 2, 3, 4])
  .inSet('weathersit', [1, 2, 3, 4])
  .between('temp', { min: 0, max: 1 })
  .between('hum', { min: 0, max: 1 })
  .between('cnt', { min: 0 })
  .notNull('cnt')
  .rowCountBetween({ min: 17000, max: 18000 })
  .meanBetween('cnt', { min: 150, max: 230, notes: 'mean hourly demand 2011-2012 is 189.5' })
  .build();

/** Adds `dataFile` as a dataset version, validates it, and returns the version; throws if validation fails. */
export async function validateDemoData(gyre, dataFile, say) {
  const { version, created } = await gyre.data.add({ name: 'bike-sharing-hourly', source: dataFile, createdBy: 'demo' });
  const report = await gyre.data.validate(`${version.name}@${version.version}`, BIKE_SUITE);
  const reportFile = path.join(gyre.config.home, 'reports', `${version.name}@${version.version}.html`);
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, renderReportHtml(report));
  const s = report.statistics;
  say(`\n0. Data: ${version.name}@${version.version} (${version.digest.slice(7, 19)}, ${created ? 'new version' : 'same content as before'}), ${version.rowCount.toLocaleString('en')} rows × ${version.schema.length} columns`);
  say(`   validation ${report.success ? 'PASSED' : 'FAILED'}: ${s.succeeded}/${s.evaluated} expectations met, ${s.warnings} warnings; report: ${reportFile}`);
  if (!report.success) throw new Error(`The training data failed validation; see ${reportFile}`);
  return version;
}
