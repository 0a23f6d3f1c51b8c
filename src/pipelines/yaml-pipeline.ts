/**
 * Pipelines in YAML: steps are shell commands with `deps`, `outs` and `params`. Gyre's own form has
 * `steps:`; DVC's `dvc.yaml` has `stages:` (with `foreach`/`do`, `wdir`, `metrics`, params read from
 * `params.yaml`) and runs unchanged. Both go through the same checks as TypeScript pipelines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { invalidArgument } from '../core/errors.js';
import type { PipelineDefinition } from './entities.js';
import { buildDefinition } from './pipeline-graph.js';
import type { DraftStep } from './pipeline-graph.js';
import { checkCommandExists } from './command-check.js';
import { canonicalJson } from './digests.js';
import { parseDuration } from './duration.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The output a gate step declares: true when its command exited 0, false when it exited 1. */
export const GATE_OUTPUT = 'passed';

export function loadYamlPipeline(file: string): PipelineDefinition {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch {
    throw invalidArgument(`Pipeline file ${abs} cannot be read. Check the path.`, { file: abs });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw invalidArgument(`Pipeline file ${abs} is not valid YAML: ${(err as Error).message}`, { file: abs });
  }
  return yamlDefinition(doc, path.dirname(abs), path.basename(path.dirname(abs)));
}

export function yamlDefinition(doc: unknown, root: string, defaultName: string): PipelineDefinition {
  if (!isObj(doc)) throw invalidArgument('A pipeline YAML must be a mapping with `steps:` (Gyre) or `stages:` (dvc.yaml).', {});
  const stepsNode = doc.steps ?? doc.stages;
  if (!isObj(stepsNode)) throw invalidArgument('The pipeline YAML has no `steps:` (or `stages:`) mapping of step name → step.', {});
  const name = typeof doc.name === 'string' ? doc.name : defaultName.replace(/[^A-Za-z0-9_-]/g, '-') || 'pipeline';
  const paramsFile = typeof doc.params === 'string' ? doc.params : 'params.yaml';
  const params = new ParamsFiles(root, paramsFile);
  const drafts: DraftStep[] = [];
  for (const [stepName, node] of Object.entries(stepsNode)) {
    if (!isObj(node)) throw invalidArgument(`Step '${stepName}' must be a mapping with at least \`cmd\`.`, { step: stepName });
    if ('foreach' in node) {
      const items = node.foreach;
      const list = Array.isArray(items) ? items : isObj(items) ? Object.keys(items) : null;
      if (!list || !isObj(node.do)) throw invalidArgument(`Step '${stepName}': \`foreach\` needs a list (or mapping) and a \`do:\` step.`, { step: stepName });
      const values = Array.isArray(items) ? items : Object.values(items as Obj);
      // Each item is drafted with its own substituted command and paths, then mapped by name.
      const base = draftShellStep(stepName, node.do, root, params, null);
      drafts.push({ ...base, map: list.map((key, i) => ({ key, value: values[i] })), mapNames: list });
      continue;
    }
    drafts.push(draftShellStep(stepName, node, root, params, null));
  }
  wireDepsToOuts(drafts);
  const stepNodes = stepsNode as Obj;
  return buildDefinition(name, drafts, null, root, (draft, item) => {
    const { key, value } = item as { key: unknown; value: unknown };
    const node = stepNodes[draft.name] as Obj;
    const expanded = draftShellStep(draft.name, node.do, root, params, { key, value });
    return { ...expanded, inputs: draft.inputs, after: draft.after };
  });
}

/** `${item}` / `${item.field}` / `${key}` in a foreach body. */
function substitute(text: string, item: { key: unknown; value: unknown } | null): string {
  if (!item) return text;
  return text.replace(/\$\{\s*(item|key)((?:\.[A-Za-z0-9_]+)*)\s*\}/g, (_m, which: string, fields: string) => {
    let v: unknown = which === 'key' ? item.key : item.value;
    for (const f of fields.split('.').filter(Boolean)) v = isObj(v) ? v[f] : undefined;
    return v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  });
}

function stringList(step: string, field: string, v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) throw invalidArgument(`Step '${step}': \`${field}\` must be a list.`, { step, field });
  // dvc.yaml allows `- path: {cache: false}` entries for outs and metrics.
  return v.map((e) => (typeof e === 'string' ? e : isObj(e) && Object.keys(e).length === 1 ? Object.keys(e)[0]! : String(e)));
}

function draftShellStep(name: string, node: unknown, root: string, params: ParamsFiles, item: { key: unknown; value: unknown } | null): DraftStep {
  if (!isObj(node)) throw invalidArgument(`Step '${name}' must be a mapping with at least \`cmd\`.`, { step: name });
  const rawCmd = Array.isArray(node.cmd) ? node.cmd.join(' && ') : node.cmd;
  if (typeof rawCmd !== 'string') throw invalidArgument(`Step '${name}' needs \`cmd\`: the shell command it runs.`, { step: name });
  const cmd = substitute(rawCmd, item);
  const cwd = path.resolve(root, typeof node.wdir === 'string' ? node.wdir : '.');
  checkCommandExists(name, cmd, cwd);
  const rel = (p: string) => path.relative(root, path.resolve(cwd, substitute(p, item))).split(path.sep).join('/');
  const deps = stringList(name, 'deps', node.deps).map(rel);
  const outs = [...stringList(name, 'outs', node.outs), ...stringList(name, 'metrics', node.metrics), ...stringList(name, 'plots', node.plots).filter((p) => /\.[a-z]+$/i.test(p))].map(rel);
  const gate = node.gate === true;
  const stepParams = params.resolve(name, node.params);
  const known = new Set(['cmd', 'deps', 'outs', 'metrics', 'plots', 'params', 'wdir', 'desc', 'frozen', 'always_changed', 'meta', 'retry', 'timeout', 'after', 'when', 'gate']);
  for (const key of Object.keys(node)) if (!known.has(key)) throw invalidArgument(`Step '${name}' has an unknown field '${key}'. Known: ${[...known].join(', ')}.`, { step: name, field: key });
  const retry = isObj(node.retry) ? { attempts: Number(node.retry.attempts ?? 1), backoffMs: parseDuration(name, 'retry.backoff', node.retry.backoff ?? node.retry.backoffMs ?? 1000) } : undefined;
  return {
    name,
    kind: { type: 'shell', cmd, cwd: path.relative(root, cwd).split(path.sep).join('/') || '.', deps, outs, gate },
    inputs: {},
    outputs: gate ? [...outs, GATE_OUTPUT] : outs,
    params: stepParams,
    code: canonicalJson({ cmd, outs, wdir: node.wdir ?? null, gate }),
    after: stringList(name, 'after', node.after),
    retry,
    timeoutMs: node.timeout === undefined ? null : parseDuration(name, 'timeout', node.timeout),
    // DVC's always_changed: the stage reads something its deps do not capture.
    alwaysRun: node.always_changed === true,
    when: typeof node.when === 'string' ? (node.when.includes('.') ? node.when : `${node.when}.${GATE_OUTPUT}`) : null,
    map: null,
  };
}

/** A dep that is (or lies inside) another step's out makes that step an upstream: DVC's rule. */
function wireDepsToOuts(drafts: DraftStep[]): void {
  const owners: { out: string; step: string }[] = [];
  for (const d of drafts) if (d.kind.type === 'shell') for (const out of d.kind.outs) owners.push({ out, step: d.name });
  for (const d of drafts) {
    if (d.kind.type !== 'shell') continue;
    for (const dep of d.kind.deps) {
      const owner = owners.find((o) => o.step !== d.name && (dep === o.out || dep.startsWith(`${o.out}/`)));
      if (owner) d.inputs[dep] = `${owner.step}.${owner.out}`;
    }
  }
}

/** params.yaml (or another file) read once; a step's `params` names keys in it (dotted paths). */
class ParamsFiles {
  private readonly cache = new Map<string, Obj>();
  constructor(
    private readonly root: string,
    private readonly defaultFile: string,
  ) {}

  private read(step: string, file: string): Obj {
    let doc = this.cache.get(file);
    if (!doc) {
      const abs = path.resolve(this.root, file);
      if (!fs.existsSync(abs)) throw invalidArgument(`Step '${step}' reads params from ${file}, which does not exist in ${this.root}. Create it or drop the step's \`params\`.`, { step, file });
      const parsed: unknown = abs.endsWith('.json') ? JSON.parse(fs.readFileSync(abs, 'utf8')) : parseYaml(fs.readFileSync(abs, 'utf8'));
      doc = isObj(parsed) ? parsed : {};
      this.cache.set(file, doc);
    }
    return doc;
  }

  private lookup(step: string, file: string, key: string): unknown {
    let v: unknown = this.read(step, file);
    for (const part of key.split('.')) {
      if (!isObj(v) || !(part in v)) throw invalidArgument(`Step '${step}' uses param '${key}', which ${file} does not define. Add it to ${file} or remove it from the step.`, { step, param: key, file });
      v = v[part];
    }
    return v;
  }

  /** `[key, {file.yaml: [key]}]` (DVC) or `{key: value}` (inline values). */
  resolve(step: string, node: unknown): Record<string, unknown> {
    if (node === undefined || node === null) return {};
    if (isObj(node)) return { ...node };
    if (!Array.isArray(node)) throw invalidArgument(`Step '${step}': \`params\` must be a list of keys in ${this.defaultFile} or a mapping of values.`, { step });
    const out: Record<string, unknown> = {};
    for (const entry of node) {
      if (typeof entry === 'string') out[entry] = this.lookup(step, this.defaultFile, entry);
      else if (isObj(entry)) {
        for (const [file, keys] of Object.entries(entry)) {
          const list = Array.isArray(keys) ? keys.map(String) : [];
          // DVC: an empty list means "every param in that file".
          if (list.length === 0) Object.assign(out, this.read(step, file));
          for (const key of list) out[key] = this.lookup(step, file, key);
        }
      } else throw invalidArgument(`Step '${step}': a params entry must be a key or {file: [keys]}.`, { step });
    }
    return out;
  }
}
