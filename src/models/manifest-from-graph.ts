/**
 * Builds or checks a manifest against the graph it describes. A model from anywhere registers with
 * no manifest at all (features are read off the graph); a manifest given with it must agree with
 * the graph, or the registration is refused naming what disagrees.
 */
import type { FeatureSpec, FeatureType, GyreModelManifest, OutputSpec } from './manifest.js';
import type { GraphInfo, GraphTensor } from './onnx-graph.js';
import type { OipDatatype } from '../serving/oip/datatypes.js';
import { invalidArgument } from '../core/errors.js';
import { GYRE_VERSION } from '../core/version.js';

const FEATURE_TYPE: Partial<Record<OipDatatype, FeatureType>> = {
  FP32: 'number',
  FP64: 'number',
  FP16: 'number',
  INT8: 'integer',
  INT16: 'integer',
  INT32: 'integer',
  INT64: 'integer',
  UINT8: 'integer',
  UINT16: 'integer',
  UINT32: 'integer',
  UINT64: 'integer',
  BYTES: 'string',
  BOOL: 'boolean',
};

/** Width of a feature tensor: `[N]` and `[N, 1]` hold one feature, `[N, k]` holds k. */
function widthOf(t: GraphTensor): number {
  if (t.shape.length <= 1) return 1;
  if (t.shape.length === 2 && t.shape[1]! > 0) return t.shape[1]!;
  throw invalidArgument(`Graph input '${t.name}' has shape [${t.shape.join(', ')}]; Gyre maps tabular features onto [N], [N, 1] or [N, k] inputs. Register it with a manifest or serve it through OIP only.`, {
    input: t.name,
  });
}

export function featuresFromGraph(graph: GraphInfo, featureNames?: string[]): FeatureSpec[] {
  const features: FeatureSpec[] = [];
  let named = 0;
  for (const t of graph.inputs) {
    if (!t.datatype) throw invalidArgument(`Graph input '${t.name}' is not a tensor; Gyre serves tensor inputs.`, { input: t.name });
    const type = FEATURE_TYPE[t.datatype];
    if (!type) throw invalidArgument(`Graph input '${t.name}' has datatype ${t.datatype}, which has no JSON form; it cannot be a feature.`, { input: t.name });
    const width = widthOf(t);
    for (let c = 0; c < width; c++) {
      const name = featureNames?.[named++] ?? (width === 1 ? t.name : `${t.name}_${c}`);
      features.push({ name, type, tensor: t.name, ...(width > 1 || t.shape.length === 2 ? { column: c } : {}) });
    }
  }
  if (featureNames && featureNames.length !== named) {
    throw invalidArgument(`${featureNames.length} feature names were given but the graph's inputs hold ${named} features.`, { field: 'features' });
  }
  return features;
}

export function outputsFromGraph(graph: GraphInfo): OutputSpec[] {
  // Sequences and maps (skl2onnx's ZipMap) have no OIP form; their tensor siblings carry the same answer.
  return graph.outputs.filter((o) => o.datatype !== null).map((o) => ({ name: o.name, datatype: o.datatype!, shape: o.shape }));
}

export function defaultManifest(name: string, graph: GraphInfo, featureNames?: string[]): GyreModelManifest {
  const outputs = outputsFromGraph(graph);
  return {
    formatVersion: 1,
    name,
    task: 'other',
    inputs: featuresFromGraph(graph, featureNames),
    outputs,
    inputExample: null,
    metrics: {},
    lineage: { runId: null, datasetVersions: [], codeVersion: null, parentModel: null },
    createdAt: new Date().toISOString(),
    gyreVersion: GYRE_VERSION,
  };
}

/** Every feature's tensor and column must exist in the graph with a compatible type, and cover it. */
export function checkManifestAgainstGraph(manifest: GyreModelManifest, graph: GraphInfo): void {
  const byTensor = new Map(graph.inputs.map((t) => [t.name, t]));
  const covered = new Map<string, Set<number>>();
  manifest.inputs.forEach((f, i) => {
    const field = `inputs[${i}] ('${f.name}')`;
    const t = byTensor.get(f.tensor);
    if (!t) throw invalidArgument(`Manifest ${field} feeds tensor '${f.tensor}', but the graph's inputs are ${graph.inputs.map((x) => `'${x.name}'`).join(', ')}.`, { field: `inputs[${i}].tensor` });
    const width = widthOf(t);
    const column = f.column ?? 0;
    if (!Number.isInteger(column) || column < 0 || column >= width) {
      throw invalidArgument(`Manifest ${field} uses column ${f.column} of '${f.tensor}', which has ${width} column(s).`, { field: `inputs[${i}].column` });
    }
    const graphType = t.datatype ? FEATURE_TYPE[t.datatype] : undefined;
    const compatible = graphType === f.type || (graphType === 'number' && f.type === 'integer') || (graphType === 'integer' && f.type === 'boolean');
    if (!compatible) throw invalidArgument(`Manifest ${field} says ${f.type}, but tensor '${f.tensor}' is ${t.datatype}.`, { field: `inputs[${i}].type` });
    if (!covered.has(f.tensor)) covered.set(f.tensor, new Set());
    if (covered.get(f.tensor)!.has(column)) throw invalidArgument(`Manifest ${field} maps to column ${column} of '${f.tensor}', which another feature already fills.`, { field: `inputs[${i}]` });
    covered.get(f.tensor)!.add(column);
  });
  for (const t of graph.inputs) {
    const have = covered.get(t.name)?.size ?? 0;
    if (have !== widthOf(t)) throw invalidArgument(`The graph's input '${t.name}' takes ${widthOf(t)} feature(s) but the manifest fills ${have}.`, { field: 'inputs', input: t.name });
  }
  const outputs = new Set(graph.outputs.map((o) => o.name));
  manifest.outputs.forEach((o, i) => {
    if (!outputs.has(o.name)) throw invalidArgument(`Manifest outputs[${i}] names '${o.name}', but the graph's outputs are ${[...outputs].map((x) => `'${x}'`).join(', ')}.`, { field: `outputs[${i}]` });
  });
}
