/** Small inline SVG charts for the self-contained HTML report: no scripts, no external files. */

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04'];
const W = 520;
const H = 200;
const PAD = { left: 48, right: 12, top: 22, bottom: 34 };

const fmt = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : Number(v.toPrecision(3)).toString());
const fmtTime = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export interface Series {
  name: string;
  points: { x: number; y: number }[];
}

/** Lines over time (x: epoch ms); an optional horizontal threshold line. */
export function lineChart(title: string, series: Series[], threshold?: number): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<figure><figcaption>${escapeHtml(title)}</figcaption><p class="empty">no data yet</p></figure>`;
  const xs = all.map((p) => p.x);
  const ys = [...all.map((p) => p.y), ...(threshold !== undefined ? [threshold] : [])];
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(0, ...ys), Math.max(...ys)];
  if (y0 === y1) y1 = y0 + 1;
  const sx = (x: number) => PAD.left + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const lines = series
    .map((s, i) => {
      const c = COLORS[i % COLORS.length]!;
      const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join('');
      const dots = s.points.length <= 60 ? s.points.map((p) => `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="2" fill="${c}"/>`).join('') : '';
      return `<path d="${d}" fill="none" stroke="${c}" stroke-width="1.5"/>${dots}`;
    })
    .join('');
  const thr = threshold !== undefined ? `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${sy(threshold).toFixed(1)}" y2="${sy(threshold).toFixed(1)}" stroke="#999" stroke-dasharray="4 3"/>` : '';
  const legend = series.map((s, i) => `<tspan fill="${COLORS[i % COLORS.length]}">■ ${escapeHtml(s.name)}</tspan>`).join(' ');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${axes(sy, y0, y1)}${thr}${lines}
<text x="${PAD.left}" y="${H - 8}" class="tick">${fmtTime(x0)}</text><text x="${W - PAD.right}" y="${H - 8}" class="tick" text-anchor="end">${fmtTime(x1)}</text>
<text x="${PAD.left}" y="14" class="legend">${legend}</text></svg></figure>`;
}

function axes(sy: (y: number) => number, y0: number, y1: number): string {
  const ticks = [y0, (y0 + y1) / 2, y1];
  return `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#ccc"/><line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" stroke="#ccc"/>${ticks
    .map((t) => `<text x="${PAD.left - 4}" y="${(sy(t) + 3).toFixed(1)}" class="tick" text-anchor="end">${fmt(t)}</text>`)
    .join('')}`;
}

/** Reference vs current shares per bin or category, side by side. */
export function distributionChart(title: string, labels: string[], reference: number[], current: number[]): string {
  const n = labels.length;
  if (n === 0) return `<figure><figcaption>${escapeHtml(title)}</figcaption><p class="empty">no data</p></figure>`;
  const top = Math.max(...reference, ...current, 1e-9);
  const plotW = W - PAD.left - PAD.right;
  const slot = plotW / n;
  const bw = Math.max(1, slot / 2 - 1);
  const sy = (y: number) => H - PAD.bottom - (y / top) * (H - PAD.top - PAD.bottom);
  const bars = labels
    .map((_, i) => {
      const x = PAD.left + i * slot;
      return `<rect x="${x.toFixed(1)}" y="${sy(reference[i]!).toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - PAD.bottom - sy(reference[i]!)).toFixed(1)}" fill="${COLORS[0]}" opacity="0.75"/><rect x="${(x + bw).toFixed(1)}" y="${sy(current[i]!).toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - PAD.bottom - sy(current[i]!)).toFixed(1)}" fill="${COLORS[1]}" opacity="0.75"/>`;
    })
    .join('');
  const every = Math.ceil(n / 8);
  const xLabels = labels.map((l, i) => (i % every === 0 ? `<text x="${(PAD.left + i * slot + slot / 2).toFixed(1)}" y="${H - 20}" class="tick" text-anchor="middle">${escapeHtml(l.slice(0, 10))}</text>` : '')).join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${axes(sy, 0, top)}${bars}${xLabels}
<text x="${PAD.left}" y="14" class="legend"><tspan fill="${COLORS[0]}">■ reference</tspan> <tspan fill="${COLORS[1]}">■ current window</tspan></text></svg></figure>`;
}
