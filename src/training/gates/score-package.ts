/**
 * Scores a model package (ONNX bytes + manifest) on a frame through ONNX Runtime — the path serving
 * takes — so a champion trained anywhere (Gyre, scikit-learn via skl2onnx, …) is judged on exactly
 * the challenger's held-out rows. Columns are matched by the manifest's feature names.
 */
import ort from 'onnxruntime-node';
import { invalidArgument } from '../../core/errors.js';
import { readOnnxGraph } from '../../models/onnx-graph.js';
import { recordsToFeeds } from '../../models/records-to-tensors.js';
import type { GyreModelManifest } from '../../models/manifest.js';
import type { Frame } from '../dataset/frame.js';
import type { Predictions } from '../evaluation/evaluate.js';

/** The frame's rows as records of raw values: missing numbers as null, missing categories as ''. */
function frameRecords(frame: Frame, manifest: GyreModelManifest): Record<string, unknown>[] {
  const records = Array.from({ length: frame.nRows }, () => ({}) as Record<string, unknown>);
  for (const f of manifest.inputs) {
    const col = frame.columns.find((c) => c.name === f.name);
    if (!col) throw invalidArgument(`The champion takes feature '${f.name}', which the evaluation data lacks; evaluate on data with the champion's features.`, { field: f.name });
    const numeric = f.type === 'number' || f.type === 'integer';
    for (let i = 0; i < frame.nRows; i++) {
      if (col.kind === 'numeric') {
        const v = col.values[i]!;
        records[i]![f.name] = numeric ? (Number.isNaN(v) ? null : v) : Number.isNaN(v) ? '' : String(v);
      } else {
        const c = col.codes[i]!;
        const s = c < 0 ? '' : col.categories[c]!;
        records[i]![f.name] = numeric ? (s === '' ? null : Number(s)) : s;
      }
    }
  }
  return records;
}

export async function scorePackage(onnx: Uint8Array, manifest: GyreModelManifest, frame: Frame): Promise<Predictions> {
  const graph = readOnnxGraph(onnx);
  const session = await ort.InferenceSession.create(onnx);
  try {
    const out = await session.run(recordsToFeeds(frameRecords(frame, manifest), manifest, graph.inputs));
    const role = (r: string) => manifest.outputs.find((o) => o.role === r);
    if (manifest.task === 'regression') {
      const name = role('prediction')?.name ?? manifest.outputs[0]!.name;
      return { task: 'regression', values: Float64Array.from(out[name]!.data as ArrayLike<number>) };
    }
    const probaSpec = role('probabilities');
    const labelSpec = role('label');
    if (manifest.task !== 'classification' || !probaSpec || !labelSpec) {
      throw invalidArgument(`${manifest.name} is not a regression or classification model with label and probability outputs, so it cannot be compared on metrics.`, { task: manifest.task });
    }
    const classes = (probaSpec.classLabels ?? labelSpec.classLabels ?? []).map(String);
    return { task: 'classification', classes, labels: Array.from(out[labelSpec.name]!.data as ArrayLike<unknown>, String), proba: Float64Array.from(out[probaSpec.name]!.data as ArrayLike<number>) };
  } finally {
    await session.release();
  }
}
