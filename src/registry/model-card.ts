/**
 * Model cards (Mitchell et al.), rendered from what Gyre already knows: the version's description
 * (intended use), its package manifest (inputs, outputs, metrics), the run (parameters, metrics,
 * per-group metrics logged as `<metric>/<attribute>:<value>` (MLflow metric names allow no `=`)), the training data versions, the code
 * version, the parent model, and every alias move and approval touching the version. Markdown for
 * repositories, self-contained HTML for people.
 */
import type { LineageDeps } from './lineage/lineage-graph.js';
import { lineageOf } from './lineage/lineage-graph.js';
import { loadPackageManifest } from '../models/model-package.js';
import type { GyreModelManifest } from '../models/manifest.js';

interface Section {
  title: string;
  paragraphs?: string[];
  table?: { head: string[]; rows: (string | number)[][] };
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(5)).toString());
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

export async function modelCardSections(deps: LineageDeps, ref: string): Promise<{ title: string; sections: Section[] }> {
  const v = await deps.registry.resolve(ref);
  const model = await deps.registry.getModel(v.name);
  const manifest: GyreModelManifest | null = v.packageDigest ? await loadPackageManifest(deps.artifacts, v.packageDigest) : null;
  const graph = await lineageOf(deps, `${v.name}/${v.version}`);
  const run = graph.nodes.find((n) => n.kind === 'run');
  const runMetrics = (run?.attributes.metrics as Record<string, number> | undefined) ?? {};
  const metrics = { ...runMetrics, ...(manifest?.metrics ?? {}) };
  const overall = Object.entries(metrics).filter(([k]) => !k.includes('/'));
  const perGroup = Object.entries(metrics).filter(([k]) => k.includes('/'));
  const history = (await deps.registry.aliasHistory(v.name)).filter((h) => h.toVersion === v.version || h.fromVersion === v.version);
  const approvals = (await deps.registry.listApprovals({ name: v.name })).filter((a) => a.version === v.version);
  const sections: Section[] = [
    {
      title: 'Intended use',
      paragraphs: [v.description || model.description || manifest?.description || '_No description was given. Describe the intended use with `gyre models describe`._'],
    },
    {
      title: 'Model',
      table: {
        head: ['field', 'value'],
        rows: [
          ['name', v.name],
          ['version', v.version],
          ['aliases', v.aliases.join(', ') || '—'],
          ['stage', v.stage],
          ['task', manifest?.task ?? 'unknown'],
          ['registered', `${iso(v.creationTimestamp)} by ${v.userId}`],
          ['package', v.packageDigest ?? '— (no Gyre package)'],
        ],
      },
    },
  ];
  if (manifest) {
    sections.push({
      title: 'Inputs',
      table: { head: ['feature', 'type', 'categories'], rows: manifest.inputs.map((f) => [f.name, f.type, f.categories ? f.categories.slice(0, 10).join(', ') + (f.categories.length > 10 ? ', …' : '') : '']) },
    });
    sections.push({ title: 'Outputs', table: { head: ['output', 'datatype', 'shape'], rows: manifest.outputs.map((o) => [o.name, o.datatype, `[${o.shape.join(', ')}]`]) } });
  }
  const datasets = graph.nodes.filter((n) => n.kind === 'dataset');
  sections.push({
    title: 'Training data',
    ...(datasets.length
      ? { table: { head: ['dataset', 'digest', 'version / source'], rows: datasets.map((d) => [String(d.attributes.name), String(d.attributes.digest), String(d.attributes.version ?? '')]) } }
      : { paragraphs: ['No dataset versions were recorded for the training run.'] }),
  });
  sections.push({
    title: 'Evaluation',
    ...(overall.length ? { table: { head: ['metric', 'value'], rows: overall.map(([k, x]) => [k, fmt(x)]) } } : { paragraphs: ['No metrics were logged.'] }),
  });
  if (perGroup.length) sections.push({ title: 'Metrics per group', table: { head: ['metric / group', 'value'], rows: perGroup.map(([k, x]) => [k, fmt(x)]) } });
  const code = graph.nodes.find((n) => n.kind === 'code');
  const parent = graph.edges.find((e) => e.relation === 'derived_from' && e.from === graph.root);
  sections.push({
    title: 'Lineage',
    table: {
      head: ['link', 'value'],
      rows: [
        ['run', run ? `${String(run.attributes.runId)} (${run.label})` : '—'],
        ['code', code ? code.label : '—'],
        ['parent model', parent ? parent.to.replace(/^model:/, '') : '—'],
      ],
    },
  });
  sections.push({
    title: 'Approvals and alias history',
    ...(history.length || approvals.length
      ? {
          table: {
            head: ['when', 'what', 'who', 'why'],
            rows: [
              ...approvals.map((a) => [iso(a.createdAt), `approval #${a.id} for @${a.alias}: ${a.status}`, `${a.requestedBy}${a.decidedBy ? ` → ${a.decidedBy}` : ''}`, a.decisionReason ?? a.reason ?? '']),
              ...history.map((h) => [iso(h.at), `@${h.alias}: ${h.fromVersion ?? '—'} → ${h.toVersion ?? '—'} (${h.via})`, h.user, h.reason ?? '']),
            ],
          },
        }
      : { paragraphs: ['No alias has pointed at this version.'] }),
  });
  return { title: `Model card: ${v.name} version ${v.version}`, sections };
}

const mdCell = (s: string | number) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(card: { title: string; sections: Section[] }): string {
  const out = [`# ${card.title}`, ''];
  for (const s of card.sections) {
    out.push(`## ${s.title}`, '');
    for (const p of s.paragraphs ?? []) out.push(p, '');
    if (s.table) {
      out.push(`| ${s.table.head.join(' | ')} |`, `| ${s.table.head.map(() => '---').join(' | ')} |`);
      for (const r of s.table.rows) out.push(`| ${r.map(mdCell).join(' | ')} |`);
      out.push('');
    }
  }
  return out.join('\n');
}

const esc = (s: string | number) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderHtml(card: { title: string; sections: Section[] }): string {
  const body = card.sections
    .map((s) => {
      const paras = (s.paragraphs ?? []).map((p) => `<p>${esc(p)}</p>`).join('');
      const table = s.table
        ? `<table><thead><tr>${s.table.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${s.table.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
        : '';
      return `<section><h2>${esc(s.title)}</h2>${paras}${table}</section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(card.title)}</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa}td{font-variant-numeric:tabular-nums}
</style></head><body><h1>${esc(card.title)}</h1>
${body}
</body></html>
`;
}
