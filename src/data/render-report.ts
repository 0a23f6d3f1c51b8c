/**
 * Validation reports for people: a terminal table and a self-contained HTML page (inline CSS, no
 * scripts or external assets, every value escaped) that can be attached to a run or a CI job.
 */
import type { ExpectationResult, ValidationReport } from './validation-report.js';

const pct = (x: number | undefined) => (x === undefined ? '' : `${(x * 100).toFixed(x > 0 && x < 0.001 ? 3 : 1)}%`);

function status(r: ExpectationResult): string {
  if (r.success) return 'ok';
  return r.severity === 'warn' ? 'WARN' : 'FAIL';
}

export function observedText(r: ExpectationResult): string {
  if (r.error) return r.error;
  const o = r.observed as Record<string, unknown> | number | string | null;
  if (r.unexpectedCount !== undefined) {
    const top = r.unexpectedValues?.slice(0, 3).map((v) => `${JSON.stringify(v.value)}×${v.count}`).join(', ');
    const range = o && typeof o === 'object' && 'min' in o ? `range ${String(o.min)}..${String(o.max)}; ` : '';
    return `${range}${r.unexpectedCount} unexpected (${pct(r.unexpectedShare)})${top ? `: ${top}` : ''}`;
  }
  if (o && typeof o === 'object' && 'missing' in o) {
    const m = o as { missing: string[]; unexpected: string[] };
    const parts = [m.missing.length ? `missing ${m.missing.join(', ')}` : '', m.unexpected.length ? `unexpected ${m.unexpected.join(', ')}` : ''].filter(Boolean);
    return parts.join('; ') || 'columns match';
  }
  return typeof o === 'number' ? String(Number(o.toPrecision(6))) : JSON.stringify(o);
}

export function renderReportText(report: ValidationReport): string {
  const rows = report.results.map((r) => [status(r), r.label, observedText(r)]);
  const widths = [6, Math.max(11, ...rows.map((r) => r[1].length))];
  const line = (r: string[]) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd();
  const s = report.statistics;
  const d = report.dataset;
  return [
    `validation of ${d.name}@${d.version} (${d.digest.slice(7, 19)}, ${report.rowCount.toLocaleString('en')} rows) against suite '${report.suite}'`,
    line(['STATUS', 'EXPECTATION', 'OBSERVED']),
    line(['-'.repeat(6), '-'.repeat(widths[1]), '-'.repeat(8)]),
    ...rows.map(line),
    '',
    `${report.success ? 'PASSED' : 'FAILED'}: ${s.succeeded}/${s.evaluated} expectations met, ${s.failed} failed, ${s.warnings} warnings (${report.durationMs} ms)`,
  ].join('\n');
}

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderReportHtml(report: ValidationReport): string {
  const d = report.dataset;
  const s = report.statistics;
  const rows = report.results
    .map((r) => {
      const sample = r.sample?.length ? `<details><summary>${r.sample.length} sample rows</summary><table>${r.sample.map((b) => `<tr><td>row ${b.row}</td><td><code>${esc(JSON.stringify(b.value))}</code></td></tr>`).join('')}</table></details>` : '';
      return `<tr class="${status(r).toLowerCase()}"><td>${status(r)}</td><td><code>${esc(r.label)}</code>${r.expectation.notes ? `<br><small>${esc(r.expectation.notes)}</small>` : ''}</td><td>${esc(r.severity)}</td><td>${esc(observedText(r))}${sample}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(`Validation: ${d.name}@${d.version} — ${report.success ? 'passed' : 'failed'}`)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.3em} .verdict{font-weight:bold;padding:.2em .6em;border-radius:4px;color:#fff;background:${report.success ? '#2e7d32' : '#c62828'}}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
tr.fail td:first-child{color:#c62828;font-weight:bold} tr.warn td:first-child{color:#ef6c00;font-weight:bold} tr.ok td:first-child{color:#2e7d32}
code{font-size:.92em} details table{width:auto;margin:.3em 0}
</style></head><body>
<h1>Validation of <code>${esc(d.name)}@${d.version}</code> against suite <code>${esc(report.suite)}</code> <span class="verdict">${report.success ? 'PASSED' : 'FAILED'}</span></h1>
<p>Digest <code>${esc(d.digest)}</code>, source <code>${esc(d.source)}</code>, ${report.rowCount.toLocaleString('en')} rows.
${s.succeeded}/${s.evaluated} expectations met, ${s.failed} failed, ${s.warnings} warnings. Validated ${esc(new Date(report.createdAt).toISOString())} in ${report.durationMs} ms.</p>
<table><thead><tr><th>Status</th><th>Expectation</th><th>Severity</th><th>Observed</th></tr></thead><tbody>
${rows}
</tbody></table>
</body></html>
`;
}
