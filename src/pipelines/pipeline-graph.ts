/**
 * Turns drafted steps (from TypeScript or YAML) into a checked pipeline definition: fan-out
 * expansion, then names, references, cycles and a topological order. Every refusal names the step.
 */
import { invalidArgument } from '../core/errors.js';
import { digestOf, sha256 } from './digests.js';
import type { OutputRef, PipelineDefinition, RetryPolicy, StepDefinition, StepKind } from './entities.js';

export interface DraftStep {
  name: string;
  kind: StepKind;
  /** Input name → `step.output`. */
  inputs: Record<string, string>;
  outputs: string[];
  params: Record<string, unknown>;
  /** What the step runs, hashed into the cache key. */
  code: string;
  /** Extra ordering: step names that must end first. */
  after: string[];
  retry?: Partial<RetryPolicy> | undefined;
  timeoutMs?: number | null | undefined;
  alwaysRun?: boolean | undefined;
  /** `step.output` that must be truthy for this step to run. */
  when?: string | null | undefined;
  /** Fan-out: one copy of the step per item. */
  map?: readonly unknown[] | null | undefined;
  /** What names each copy (`step@<name>`); the items themselves by default. */
  mapNames?: readonly unknown[] | undefined;
}

const STEP_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** Name of one fanned-out copy: `train@0.1` for simple items, `train@3` otherwise. */
export function mappedName(name: string, item: unknown, index: number): string {
  const simple = (typeof item === 'string' || typeof item === 'number') && /^[A-Za-z0-9_.-]{1,40}$/.test(String(item));
  return `${name}@${simple ? String(item) : index}`;
}

export function buildDefinition(
  pipeline: string,
  drafts: DraftStep[],
  module: string | null,
  root: string | null,
  expandItem: (draft: DraftStep, item: unknown) => DraftStep = (d) => d,
): PipelineDefinition {
  if (!STEP_NAME.test(pipeline)) throw invalidArgument(`Pipeline name '${pipeline}' may hold only letters, digits, '_' and '-'.`, { pipeline });
  if (drafts.length === 0) throw invalidArgument(`Pipeline '${pipeline}' has no steps. Add at least one.`, { pipeline });
  const seen = new Set<string>();
  for (const d of drafts) {
    if (!STEP_NAME.test(d.name)) throw invalidArgument(`Step name '${d.name}' may hold only letters, digits, '_' and '-' (a '.' would clash with 'step.output' references).`, { step: d.name });
    if (seen.has(d.name)) throw invalidArgument(`Two steps are named '${d.name}'. Step names must be unique in a pipeline; rename one.`, { step: d.name });
    seen.add(d.name);
  }
  // Fan-out first, remembering which copies stand for each mapped name.
  const copies = new Map<string, string[]>();
  const expanded: (DraftStep & { mappedFrom: string | null; item: unknown })[] = [];
  for (const d of drafts) {
    if (!d.map) {
      expanded.push({ ...d, mappedFrom: null, item: null });
      continue;
    }
    if (d.map.length === 0) throw invalidArgument(`Step '${d.name}' maps over an empty list; give it at least one item or drop the map.`, { step: d.name });
    const names: string[] = [];
    d.map.forEach((item, i) => {
      const name = mappedName(d.name, d.mapNames ? d.mapNames[i] : item, i);
      if (names.includes(name)) throw invalidArgument(`Step '${d.name}' maps over the item ${JSON.stringify(item)} twice; items must be distinct.`, { step: d.name });
      names.push(name);
      expanded.push({ ...expandItem(d, item), name, map: null, mappedFrom: d.name, item });
    });
    copies.set(d.name, names);
  }
  const byName = new Map(expanded.map((s) => [s.name, s]));
  const resolveRef = (step: string, what: string, ref: string): { refs: OutputRef[]; fanIn: boolean } => {
    const dot = ref.indexOf('.');
    if (dot <= 0) throw invalidArgument(`Step '${step}': ${what} '${ref}' must look like 'step.output'.`, { step, ref });
    const target = ref.slice(0, dot);
    const output = ref.slice(dot + 1);
    const targets = copies.get(target) ?? (byName.has(target) ? [target] : null);
    if (!targets) throw invalidArgument(`Step '${step}': ${what} '${ref}' refers to a step '${target}' that does not exist. Steps: ${drafts.map((x) => x.name).join(', ')}.`, { step, ref });
    const outputs = byName.get(targets[0]!)!.outputs;
    if (!outputs.includes(output)) throw invalidArgument(`Step '${step}': ${what} '${ref}' — step '${target}' declares no output '${output}'. Its outputs: ${outputs.join(', ') || '(none)'}.`, { step, ref });
    return { refs: targets.map((t) => ({ step: t, output })), fanIn: copies.has(target) };
  };
  const steps: StepDefinition[] = expanded.map((d) => {
    const inputs: Record<string, OutputRef[]> = {};
    const fanIn: string[] = [];
    for (const [input, ref] of Object.entries(d.inputs)) {
      const r = resolveRef(d.name, `input '${input}'`, ref);
      inputs[input] = r.refs;
      if (r.fanIn) fanIn.push(input);
    }
    const when = d.when ? resolveRef(d.name, 'condition', d.when) : null;
    if (when && when.fanIn) throw invalidArgument(`Step '${d.name}': the condition '${d.when}' must name one step, not a mapped one.`, { step: d.name });
    const after = d.after.flatMap((a) => {
      const t = copies.get(a) ?? (byName.has(a) ? [a] : null);
      if (!t) throw invalidArgument(`Step '${d.name}' runs after '${a}', which is not a step of this pipeline.`, { step: d.name, after: a });
      return t;
    });
    const needs = [...new Set([...Object.values(inputs).flat().map((r) => r.step), ...after, ...(when ? [when.refs[0]!.step] : [])])];
    const retry = { attempts: d.retry?.attempts ?? 1, backoffMs: d.retry?.backoffMs ?? 1000 };
    if (!Number.isInteger(retry.attempts) || retry.attempts < 1 || retry.attempts > 100) throw invalidArgument(`Step '${d.name}': retry attempts must be an integer from 1 to 100.`, { step: d.name });
    if (!(retry.backoffMs >= 0)) throw invalidArgument(`Step '${d.name}': retry backoff must be 0 ms or more.`, { step: d.name });
    const timeoutMs = d.timeoutMs ?? null;
    if (timeoutMs !== null && !(timeoutMs > 0)) throw invalidArgument(`Step '${d.name}': timeout must be a positive number of milliseconds.`, { step: d.name });
    return {
      name: d.name,
      kind: d.kind,
      needs,
      inputs,
      fanIn,
      outputs: d.outputs,
      params: d.params,
      codeDigest: sha256(d.code),
      retry,
      timeoutMs,
      alwaysRun: d.alwaysRun === true,
      when: when ? when.refs[0]! : null,
      mappedFrom: d.mappedFrom,
      item: d.item,
    };
  });
  const ordered = topologicalOrder(steps);
  const digest = digestOf(ordered.map((s) => ({ ...s, kind: s.kind })));
  return { name: pipeline, steps: ordered, module, root, digest };
}

/** Kahn's algorithm keeping the written order among ready steps; a cycle is refused with its path. */
function topologicalOrder(steps: StepDefinition[]): StepDefinition[] {
  const byName = new Map(steps.map((s) => [s.name, s]));
  for (const s of steps) if (s.needs.includes(s.name)) throw invalidArgument(`Step '${s.name}' depends on itself. Remove the self-reference.`, { step: s.name });
  const remaining = new Map(steps.map((s) => [s.name, new Set(s.needs)]));
  const out: StepDefinition[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.keys()].filter((n) => remaining.get(n)!.size === 0);
    if (ready.length === 0) {
      const cycle = findCycle(remaining);
      throw invalidArgument(`Steps form a cycle: ${cycle.join(' → ')}. Step '${cycle[0]}' cannot run before itself; remove one of these dependencies.`, { step: cycle[0], cycle });
    }
    for (const n of ready) {
      out.push(byName.get(n)!);
      remaining.delete(n);
      for (const deps of remaining.values()) deps.delete(n);
    }
  }
  return out;
}

function findCycle(remaining: Map<string, Set<string>>): string[] {
  const start = [...remaining.keys()][0]!;
  const path: string[] = [];
  let at = start;
  while (!path.includes(at)) {
    path.push(at);
    at = [...remaining.get(at)!][0]!;
  }
  return [...path.slice(path.indexOf(at)), at];
}
