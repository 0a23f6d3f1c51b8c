/**
 * Small inline-SVG charts for self-contained HTML reports (evaluation reports, monitoring reports):
 * no script, no external asset, so a report opens from a file or an artifact download anywhere.
 */

export interface Series {
  name: string;
  points: readonly { x: number; y: number }[];
  /** 'line' joins the points; 'dots' scatters them. */
  style?: 'line' | 'dots';
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Fixed axis ranges (e.g. [0, 1] for rates); otherwise fitted to the data. */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Draw y = x (ROC chance line, calibration ideal, predicted = actual). */
  diagonal?: boolean;
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];
const M = { left: 56, right: 16, top: 28, bottom: 42 };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Compact tick labels: 0.25, 1.2k, 3.4M. */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}

function extent(values: number[], fixed?: [number, number]): [number, number] {
  if (fixed) return fixed;
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.04;
  return [lo - pad, hi + pad];
}

export function xyChart(series: readonly Series[], o: ChartOptions): string {
  const w = o.width ?? 420;
  const h = o.height ?? 300;
  const all = series.flatMap((s) => s.points);
  const [x0, x1] = extent(all.map((p) => p.x), o.xRange);
  const [y0, y1] = extent(all.map((p) => p.y), o.yRange);
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (w - M.left - M.right);
  const py = (y: number) => h - M.bottom - ((y - y0) / (y1 - y0)) * (h - M.top - M.bottom);
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const xv = x0 + ((x1 - x0) * i) / 4;
    const yv = y0 + ((y1 - y0) * i) / 4;
    parts.push(`<line x1="${px(xv)}" y1="${M.top}" x2="${px(xv)}" y2="${h - M.bottom}" stroke="#eee"/>`);
    parts.push(`<line x1="${M.left}" y1="${py(yv)}" x2="${w - M.right}" y2="${py(yv)}" stroke="#eee"/>`);
    parts.push(`<text x="${px(xv)}" y="${h - M.bottom + 14}" font-size="10" text-anchor="middle">${formatTick(xv)}</text>`);
    parts.push(`<text x="${M.left - 4}" y="${py(yv) + 3}" font-size="10" text-anchor="end">${formatTick(yv)}</text>`);
  }
  if (o.diagonal) {
    const lo = Math.max(x0, y0);
    const hi = Math.min(x1, y1);
    parts.push(`<line x1="${px(lo)}" y1="${py(lo)}" x2="${px(hi)}" y2="${py(hi)}" stroke="#999" stroke-dasharray="4 3"/>`);
  }
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    if (s.style === 'dots') {
      for (const p of pts) parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="1.6" fill="${color}" fill-opacity="0.45"/>`);
    } else if (pts.length) {
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    }
    if (series.length > 1) parts.push(`<text x="${w - M.right - 4}" y="${M.top + 12 + 13 * i}" font-size="11" text-anchor="end" fill="${color}">${escapeHtml(s.name)}</text>`);
  });
  return frame(w, h, o, parts);
}

/** Bars over [lower, upper) intervals: histograms. */
export function histogramChart(bins: readonly { lower: number; upper: number; count: number }[], o: ChartOptions, color = COLORS[0]!): string {
  const w = o.width ?? 420;
  const h = o.height ?? 300;
  const x0 = bins.length ? bins[0]!.lower : 0;
  const x1 = bins.length ? bins[bins.length - 1]!.upper : 1;
  const top = Math.max(1, ...bins.map((b) => b.count));
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0 || 1)) * (w - M.left - M.right);
  const py = (y: number) => h - M.bottom - (y / top) * (h - M.top - M.bottom);
  const parts = bins.map((b) => `<rect x="${px(b.lower).toFixed(1)}" y="${py(b.count).toFixed(1)}" width="${Math.max(0.5, px(b.upper) - px(b.lower) - 1).toFixed(1)}" height="${(h - M.bottom - py(b.count)).toFixed(1)}" fill="${color}" fill-opacity="0.75"><title>${formatTick(b.lower)}…${formatTick(b.upper)}: ${b.count}</title></rect>`);
  for (let i = 0; i <= 4; i++) {
    const xv = x0 + ((x1 - x0) * i) / 4;
    parts.push(`<text x="${px(xv)}" y="${h - M.bottom + 14}" font-size="10" text-anchor="middle">${formatTick(xv)}</text>`);
    parts.push(`<text x="${M.left - 4}" y="${py((top * i) / 4) + 3}" font-size="10" text-anchor="end">${formatTick((top * i) / 4)}</text>`);
  }
  return frame(w, h, o, parts);
}

function frame(w: number, h: number, o: ChartOptions, parts: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeHtml(o.title)}" font-family="system-ui, sans-serif">`,
    `<text x="${w / 2}" y="16" font-size="13" font-weight="600" text-anchor="middle">${escapeHtml(o.title)}</text>`,
    `<rect x="${M.left}" y="${M.top}" width="${w - M.left - M.right}" height="${h - M.top - M.bottom}" fill="none" stroke="#ccc"/>`,
    ...parts,
    `<text x="${(M.left + w - M.right) / 2}" y="${h - 8}" font-size="11" text-anchor="middle">${escapeHtml(o.xLabel)}</text>`,
    `<text x="14" y="${(M.top + h - M.bottom) / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${(M.top + h - M.bottom) / 2})">${escapeHtml(o.yLabel)}</text>`,
    '</svg>',
  ].join('');
}
