/**
 * Reads what a model file declares about itself: its graph inputs and outputs (names, datatypes,
 * shapes), opsets and producer. This is how a model trained anywhere (skl2onnx, torch.onnx,
 * onnxmltools) gets its signature without anyone writing it down.
 */
import onnxProto from 'onnx-proto';
import { invalidArgument } from '../core/errors.js';
import type { OipDatatype } from '../serving/oip/datatypes.js';
import { oipOfElemType } from './onnx-types.js';

const { onnx } = onnxProto;

export interface GraphTensor {
  name: string;
  /** null for non-tensor values (sequences, maps), e.g. skl2onnx's ZipMap output. */
  datatype: OipDatatype | null;
  /** -1 for a symbolic or unknown dimension. */
  shape: number[];
  kind: 'tensor' | 'sequence' | 'map' | 'other';
}

export interface GraphInfo {
  inputs: GraphTensor[];
  outputs: GraphTensor[];
  opsets: Record<string, number>;
  producer: string;
  irVersion: number;
}

type ValueInfo = onnxProto.onnx.IValueInfoProto;

function describe(v: ValueInfo): GraphTensor {
  const t = v.type;
  if (t?.tensorType) {
    const dims = t.tensorType.shape?.dim ?? [];
    const shape = dims.map((d) => (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : -1));
    return { name: v.name ?? '', datatype: oipOfElemType(Number(t.tensorType.elemType)), shape, kind: 'tensor' };
  }
  return { name: v.name ?? '', datatype: null, shape: [], kind: t?.sequenceType ? 'sequence' : t?.mapType ? 'map' : 'other' };
}

export function readOnnxGraph(bytes: Uint8Array): GraphInfo {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw invalidArgument(`The file is not an ONNX model (its bytes do not decode as an ONNX ModelProto: ${(err as Error).message}).`, { reason: (err as Error).message });
  }
  if (!model.graph) throw invalidArgument('The file is not an ONNX model: it has no graph.', {});
  const initializers = new Set((model.graph.initializer ?? []).map((i) => i.name));
  return {
    // Older exporters list initializers among the inputs; they are weights, not features.
    inputs: (model.graph.input ?? []).filter((i) => !initializers.has(i.name ?? '')).map(describe),
    outputs: (model.graph.output ?? []).map(describe),
    opsets: Object.fromEntries((model.opsetImport ?? []).map((o) => [o.domain || 'ai.onnx', Number(o.version)])),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    irVersion: Number(model.irVersion ?? 0),
  };
}
