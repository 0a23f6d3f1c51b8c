/**
 * A model version's lineage as a graph: the version → the run that trained it → the dataset
 * versions the run read → the code it ran → the parent version it derived from (recursively) →
 * the deployments serving it now. `gyre models lineage N@alias` prints it; the API returns it.
 */
import type { RegistryApi } from '../registry-api.js';
import type { ModelVersion } from '../entities.js';
import type { TrackingService } from '../../tracking/tracking-service.js';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import type { GyreModelManifest } from '../../models/manifest.js';
import { loadPackageManifest } from '../../models/model-package.js';

export type LineageNodeKind = 'model_version' | 'run' | 'dataset' | 'code' | 'deployment';

export interface LineageNode {
  id: string;
  kind: LineageNodeKind;
  label: string;
  attributes: Record<string, unknown>;
}

export interface LineageEdge {
  from: string;
  to: string;
  relation: 'trained_by' | 'read' | 'ran_code' | 'derived_from' | 'serves';
}

export interface LineageGraph {
  root: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

export interface LineageDeps {
  registry: RegistryApi;
  tracking: TrackingService;
  artifacts: ArtifactStore;
  /** Deployments serving a model version now (serving's answer; absent: none known). */
  deploymentsServing?: (name: string, version: number) => Promise<string[]>;
}

const MAX_PARENT_DEPTH = 20;

export async function lineageOf(deps: LineageDeps, ref: string): Promise<LineageGraph> {
  const nodes = new Map<string, LineageNode>();
  const edges: LineageEdge[] = [];
  const add = (n: LineageNode) => (nodes.has(n.id) ? undefined : nodes.set(n.id, n));
  const root = await deps.registry.resolve(ref);
  let current: ModelVersion | null = root;
  for (let depth = 0; current && depth < MAX_PARENT_DEPTH; depth++) {
    const v: ModelVersion = current;
    const vid = `model:${v.name}/${v.version}`;
    if (nodes.has(vid)) break;
    const manifest = v.packageDigest ? await loadPackageManifest(deps.artifacts, v.packageDigest).catch(() => null) : null;
    add({ id: vid, kind: 'model_version', label: `${v.name}/${v.version}`, attributes: { aliases: v.aliases, stage: v.stage, packageDigest: v.packageDigest, source: v.source, createdAt: v.creationTimestamp, metrics: manifest?.metrics ?? {} } });
    await addRun(deps, v, manifest, vid, add, edges);
    for (const d of (await deps.deploymentsServing?.(v.name, v.version)) ?? []) {
      add({ id: `deployment:${d}`, kind: 'deployment', label: d, attributes: {} });
      edges.push({ from: `deployment:${d}`, to: vid, relation: 'serves' });
    }
    const parent = manifest?.lineage.parentModel ?? null;
    current = parent ? await deps.registry.resolve(parent).catch(() => null) : null;
    if (current) edges.push({ from: vid, to: `model:${current.name}/${current.version}`, relation: 'derived_from' });
  }
  return { root: `model:${root.name}/${root.version}`, nodes: [...nodes.values()], edges };
}

async function addRun(deps: LineageDeps, v: ModelVersion, manifest: GyreModelManifest | null, vid: string, add: (n: LineageNode) => unknown, edges: LineageEdge[]): Promise<void> {
  const runId = v.runId ?? manifest?.lineage.runId ?? null;
  const datasets = new Map<string, { name: string; digest: string; version?: string | number }>();
  for (const d of manifest?.lineage.datasetVersions ?? []) datasets.set(d.digest, d);
  let code = manifest?.lineage.codeVersion ?? null;
  let from = vid;
  if (runId) {
    const run = await deps.tracking.getRun(runId).catch(() => null);
    const rid = `run:${runId}`;
    add({
      id: rid,
      kind: 'run',
      label: run?.info.runName ?? runId,
      attributes: run
        ? { runId, experimentId: run.info.experimentId, status: run.info.status, params: Object.fromEntries(run.data.params.map((p) => [p.key, p.value])), metrics: Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])) }
        : { runId, missing: true },
    });
    edges.push({ from: vid, to: rid, relation: 'trained_by' });
    from = rid;
    for (const d of run?.inputs.datasetInputs ?? []) datasets.set(d.dataset.digest, { name: d.dataset.name, digest: d.dataset.digest, version: d.dataset.source });
    const commit = run?.data.tags.find((t) => t.key === 'mlflow.source.git.commit')?.value;
    if (!code && commit) code = { gitCommit: commit, dirty: false };
  }
  for (const d of datasets.values()) {
    const id = `dataset:${d.name}@${d.digest}`;
    add({ id, kind: 'dataset', label: `${d.name}@${d.digest.replace(/^sha256:/, '').slice(0, 12)}`, attributes: { ...d } });
    edges.push({ from, to: id, relation: 'read' });
  }
  if (code) {
    const id = `code:${code.gitCommit}`;
    add({ id, kind: 'code', label: `${code.gitCommit.slice(0, 12)}${code.dirty ? ' (dirty)' : ''}`, attributes: { ...code } });
    edges.push({ from, to: id, relation: 'ran_code' });
  }
}

/** The chain as indented text, for the terminal. */
export function formatLineage(g: LineageGraph): string {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const lines: string[] = [];
  const seen = new Set<string>();
  const walk = (id: string, depth: number, relation: string) => {
    const n = byId.get(id);
    if (!n || seen.has(id)) return;
    seen.add(id);
    const extra =
      n.kind === 'model_version'
        ? [(n.attributes.aliases as string[]).map((a) => `@${a}`).join(' '), n.attributes.packageDigest ? `package ${String(n.attributes.packageDigest).slice(7, 19)}` : ''].filter(Boolean).join(', ')
        : n.kind === 'run'
          ? `run ${n.attributes.runId as string}`
          : '';
    lines.push(`${'  '.repeat(depth)}${relation ? `${relation} → ` : ''}${n.kind.replace('_', ' ')} ${n.label}${extra ? ` (${extra})` : ''}`);
    for (const e of g.edges.filter((x) => x.from === id)) walk(e.to, depth + 1, e.relation.replace('_', ' '));
  };
  for (const e of g.edges.filter((x) => x.relation === 'serves')) walk(e.from, 0, '');
  walk(g.root, 0, '');
  return lines.join('\n');
}
