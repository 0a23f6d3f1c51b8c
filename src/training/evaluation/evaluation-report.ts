/**
 * The evaluation report a run carries as artifacts: `evaluation/report.json` (everything, for
 * programs) and `evaluation/report.html` (one self-contained page with ROC, PR, calibration and
 * residual plots, for people). When a champion was scored on the same rows, both are shown side by side.
 */
import type { Evaluation } from './evaluate.js';
import type { GateDecision } from '../gates/gate-decision.js';
import { escapeHtml, histogramChart, xyChart } from '../../reports/svg-charts.js';
import type { Series } from '../../reports/svg-charts.js';

export interface EvaluationReport {
  title: string;
  /** What was evaluated: model kind, data, target, rows. */
  subject: Record<string, string | number>;
  challenger: Evaluation;
  /** The registered model the challenger is compared with, scored on the same held-out rows. */
  champion?: { ref: string; version: number; evaluation: Evaluation };
  gate?: GateDecision;
  createdAt: string;
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : Number(v.toPrecision(5)).toString());

function metricsTable(r: EvaluationReport): string {
  const keys = Object.keys(r.challenger.metrics).filter((k) => !k.includes('/'));
  const champ = r.champion?.evaluation.metrics;
  const head = `<tr><th>metric</th><th>this model</th>${champ ? `<th>${escapeHtml(r.champion!.ref)} (v${r.champion!.version})</th>` : ''}</tr>`;
  const rows = keys.map((k) => `<tr><td>${escapeHtml(k)}</td><td>${fmt(r.challenger.metrics[k])}</td>${champ ? `<td>${fmt(champ[k])}</td>` : ''}</tr>`);
  return `<table>${head}${rows.join('')}</table>`;
}

function gateSection(gate: GateDecision): string {
  const rows = gate.rules.map((c) => `<tr class="${c.passed ? 'pass' : 'fail'}"><td>${escapeHtml(c.rule)}</td><td>${fmt(c.value)}</td><td>${c.reference === undefined ? '' : fmt(c.reference)}</td><td>${c.passed ? 'pass' : 'FAIL'}</td></tr>`);
  return `<h2>Gate: ${gate.passed ? 'passed' : 'failed'}</h2><p>${escapeHtml(gate.summary)}</p><table><tr><th>rule</th><th>value</th><th>reference</th><th>verdict</th></tr>${rows.join('')}</table>`;
}

function classificationPlots(r: EvaluationReport): string {
  const c = r.challenger.classification!;
  const champ = r.champion?.evaluation.classification;
  const both = (pick: (d: NonNullable<typeof c>) => { x: number; y: number }[] | undefined, style?: Series['style']): Series[] => [
    { name: 'this model', points: pick(c) ?? [], ...(style ? { style } : {}) },
    ...(champ ? [{ name: `champion v${r.champion!.version}`, points: pick(champ) ?? [], ...(style ? { style } : {}) }] : []),
  ];
  const plots: string[] = [];
  if (c.roc) plots.push(xyChart(both((d) => d.roc), { title: 'ROC curve', xLabel: 'false-positive rate', yLabel: 'true-positive rate', xRange: [0, 1], yRange: [0, 1], diagonal: true }));
  if (c.pr) plots.push(xyChart(both((d) => d.pr), { title: 'Precision-recall curve', xLabel: 'recall', yLabel: 'precision', xRange: [0, 1], yRange: [0, 1] }));
  if (c.calibration) plots.push(xyChart(both((d) => d.calibration?.map((b) => ({ x: b.meanPredicted, y: b.observedShare }))), { title: `Calibration (positive class '${c.positiveClass}')`, xLabel: 'mean predicted probability', yLabel: 'observed share', xRange: [0, 1], yRange: [0, 1], diagonal: true }));
  const matrix = `<table class="cm"><tr><th>actual ↓ / predicted →</th>${c.classes.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}</tr>${c.confusionMatrix
    .map((row, i) => `<tr><th>${escapeHtml(c.classes[i]!)}</th>${row.map((v) => `<td>${v}</td>`).join('')}</tr>`)
    .join('')}</table>`;
  return `<div class="plots">${plots.join('')}</div><h2>Confusion matrix</h2>${matrix}`;
}

function regressionPlots(r: EvaluationReport): string {
  const d = r.challenger.regression!;
  const scatter = xyChart([{ name: 'rows', points: d.sample.map((p) => ({ x: p.actual, y: p.predicted })), style: 'dots' }], { title: 'Predicted vs actual', xLabel: 'actual', yLabel: 'predicted', diagonal: true });
  const residuals = xyChart([{ name: 'rows', points: d.sample.map((p) => ({ x: p.predicted, y: p.actual - p.predicted })), style: 'dots' }], { title: 'Residuals vs predicted', xLabel: 'predicted', yLabel: 'actual − predicted' });
  const hist = histogramChart(d.residualHistogram, { title: 'Residual distribution', xLabel: 'actual − predicted', yLabel: 'rows' });
  return `<div class="plots">${scatter}${residuals}${hist}</div>`;
}

function fairnessSection(r: EvaluationReport): string {
  const f = r.challenger.fairness;
  if (!f) return '';
  const rows = f.groups.map((g) => `<tr><td>${escapeHtml(g.group)}</td><td>${g.count}</td><td>${fmt(g.accuracy)}</td><td>${fmt(g.selectionRate)}</td><td>${fmt(g.truePositiveRate)}</td><td>${fmt(g.falsePositiveRate)}</td></tr>`);
  return `<h2>Fairness by ${escapeHtml(f.column)}</h2><p>demographic parity difference ${fmt(f.dpDifference)}, equalized odds difference ${fmt(f.eoDifference)}</p><table><tr><th>group</th><th>rows</th><th>accuracy</th><th>selection rate</th><th>TPR</th><th>FPR</th></tr>${rows.join('')}</table>`;
}

export function renderEvaluationHtml(r: EvaluationReport): string {
  const subject = Object.entries(r.subject).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`).join('');
  const plots = r.challenger.task === 'classification' ? classificationPlots(r) : regressionPlots(r);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title><style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1320px;color:#111}table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}
.plots{display:flex;flex-wrap:wrap;gap:1rem}.pass td:last-child{color:#15803d}.fail td:last-child{color:#b91c1c;font-weight:600}.cm td{text-align:right}
</style></head><body><h1>${escapeHtml(r.title)}</h1><table>${subject}<tr><td>created</td><td>${escapeHtml(r.createdAt)}</td></tr></table>
${r.gate ? gateSection(r.gate) : ''}<h2>Metrics on ${r.challenger.rows.toLocaleString('en')} held-out rows</h2>${metricsTable(r)}${plots}${fairnessSection(r)}</body></html>`;
}
