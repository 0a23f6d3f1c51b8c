/**
 * Turns inference-log records into columns a window is measured on: one row per predicted row
 * (a records request carries several; an OIP request's tensors are split by the manifest's
 * feature → tensor/column map), each with its features, prediction and — when the label arrived —
 * label. Records whose shape cannot be read are counted, not fatal.
 */
import type { LabeledRecord } from '../../serving/inference-log/entities.js';
import type { GyreModelManifest } from '../../models/manifest.js';

export interface WindowRows {
  /** Feature name → value per row (undefined when the row lacks it). */
  features: Record<string, unknown[]>;
  predictions: unknown[];
  /** Positive-class probability per row for binary classifiers, when the model outputs one. */
  scores: (number | null)[];
  /** Label per row, or undefined when none arrived. */
  labels: unknown[];
  rows: number;
  /** Records whose inputs or outputs had a shape the monitor could not read. */
  unreadableRecords: number;
  /** Labels that arrived but could not be matched to rows (e.g. a scalar label for a 3-row request). */
  unmatchedLabels: number;
}

/** The output read as the prediction: the monitor's choice, else the manifest's prediction/label output, else the first. */
export function predictionOutput(manifest: GyreModelManifest, chosen?: string): string | null {
  if (chosen) return chosen;
  const byRole = manifest.outputs.find((o) => o.role === 'prediction' || o.role === 'label');
  return byRole?.name ?? manifest.outputs[0]?.name ?? null;
}

export function windowRows(records: readonly LabeledRecord[], manifest: GyreModelManifest, outputName: string | null): WindowRows {
  const names = manifest.inputs.map((f) => f.name);
  const out: WindowRows = { features: Object.fromEntries(names.map((n) => [n, []])), predictions: [], scores: [], labels: [], rows: 0, unreadableRecords: 0, unmatchedLabels: 0 };
  const probability = manifest.outputs.find((o) => o.role === 'probabilities');
  for (const r of records) {
    const inputs = rowsOfInputs(r.inputs, manifest);
    if (!inputs) {
      out.unreadableRecords++;
      continue;
    }
    const preds = rowsOfOutput(r.outputs, outputName, inputs.length);
    const probs = probability ? rowsOfOutput(r.outputs, probability.name, inputs.length) : null;
    const labels = labelsFor(r.label, inputs.length);
    if (r.label !== null && labels === null) out.unmatchedLabels++;
    for (let i = 0; i < inputs.length; i++) {
      for (const n of names) out.features[n]!.push(inputs[i]![n]);
      out.predictions.push(preds?.[i]);
      out.scores.push(probs ? positiveScore(probs[i], probability!.classLabels) : null);
      out.labels.push(labels ? labels[i] : undefined);
    }
    out.rows += inputs.length;
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function rowsOfInputs(inputs: unknown, manifest: GyreModelManifest): Record<string, unknown>[] | null {
  if (Array.isArray(inputs)) return inputs.every(isRecord) ? inputs : null;
  if (!isRecord(inputs)) return null;
  // OIP: {tensor: data}, data flat or nested; features map to a tensor and, for [N, k] inputs, a column.
  const perTensor = new Map<string, number>();
  for (const f of manifest.inputs) perTensor.set(f.tensor, Math.max(perTensor.get(f.tensor) ?? 0, (f.column ?? 0) + 1));
  let n = -1;
  const columns: Record<string, unknown[]> = {};
  for (const f of manifest.inputs) {
    const data = inputs[f.tensor];
    if (!Array.isArray(data)) return null;
    const width = perTensor.get(f.tensor)!;
    const col = f.column ?? 0;
    const values = Array.isArray(data[0]) ? data.map((row) => (row as unknown[])[col]) : data.filter((_, i) => i % width === col);
    if (n !== -1 && values.length !== n) return null;
    n = values.length;
    columns[f.name] = values;
  }
  return Array.from({ length: Math.max(n, 0) }, (_, i) => Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v[i]])));
}

function rowsOfOutput(outputs: unknown, name: string | null, rows: number): unknown[] | null {
  if (name === null) return null;
  if (Array.isArray(outputs)) return outputs.map((o) => (isRecord(o) ? o[name] : undefined));
  if (!isRecord(outputs)) return null;
  const data = outputs[name];
  if (!Array.isArray(data)) return null;
  if (data.length === rows) return data.map((d) => (Array.isArray(d) && d.length === 1 ? d[0] : d));
  // [N, k] flattened (probabilities): hand each row its k values.
  if (rows > 0 && data.length % rows === 0) {
    const k = data.length / rows;
    return Array.from({ length: rows }, (_, i) => data.slice(i * k, (i + 1) * k));
  }
  return null;
}

/** One label per row: a scalar (or one-element list) for a one-row request, a list as long as the request otherwise. */
function labelsFor(label: unknown, rows: number): unknown[] | null {
  if (label === null || label === undefined) return null;
  if (Array.isArray(label)) return label.length === rows ? label : null;
  return rows === 1 ? [label] : null;
}

/** The positive class's probability of a binary classifier: the second class (classLabels[1], or index/key 1). */
function positiveScore(p: unknown, classLabels?: (string | number)[]): number | null {
  if (typeof p === 'number') return p;
  if (Array.isArray(p)) return p.length === 2 && typeof p[1] === 'number' ? p[1] : null;
  if (isRecord(p)) {
    const key = classLabels?.[1] !== undefined ? String(classLabels[1]) : Object.keys(p)[1];
    const v = key === undefined ? undefined : p[key];
    return typeof v === 'number' ? v : null;
  }
  return null;
}
