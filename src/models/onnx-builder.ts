/**
 * A small ONNX graph builder over onnx-proto: what Gyre's own exporters (and test fixtures) use to
 * write real ONNX models that ONNX Runtime loads. Standard ops live in the default domain,
 * tree ensembles and encoders in `ai.onnx.ml`.
 */
import onnxProto from 'onnx-proto';
import { ONNX_ELEM } from './onnx-types.js';

const { onnx } = onnxProto;
type Attr = number | string | number[] | string[] | { floats: number[] } | { ints: number[] } | { tensor: TensorInit };

export interface TensorInit {
  name: string;
  elemType: number;
  dims: number[];
  values: number[] | string[] | bigint[];
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, Attr>;
  domain?: string;
  name?: string;
}

export interface ModelSpec {
  name: string;
  inputs: { name: string; elemType: number; shape: (number | string)[] }[];
  outputs: { name: string; elemType: number; shape: (number | string)[] }[];
  nodes: NodeSpec[];
  initializers?: TensorInit[];
  /** Default: ai.onnx 17 and ai.onnx.ml 3. */
  opsets?: Record<string, number>;
  producer?: string;
}

function attribute(name: string, value: Attr): onnxProto.onnx.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') return Number.isInteger(value) ? { name, type: A.INT, i: value } : { name, type: A.FLOAT, f: value };
  if (typeof value === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return { name, type: A.STRINGS, strings: (value as string[]).map((s) => new TextEncoder().encode(s)) };
    return (value as number[]).every(Number.isInteger) ? { name, type: A.INTS, ints: value as number[] } : { name, type: A.FLOATS, floats: value as number[] };
  }
  if ('tensor' in value) return { name, type: A.TENSOR, t: tensorProto(value.tensor) };
  if ('floats' in value) return { name, type: A.FLOATS, floats: value.floats };
  return { name, type: A.INTS, ints: value.ints };
}

function tensorProto(t: TensorInit): onnxProto.onnx.ITensorProto {
  const base = { name: t.name, dataType: t.elemType, dims: t.dims };
  switch (t.elemType) {
    case ONNX_ELEM.FLOAT:
      return { ...base, floatData: t.values as number[] };
    case ONNX_ELEM.DOUBLE:
      return { ...base, doubleData: t.values as number[] };
    case ONNX_ELEM.INT64:
      return { ...base, int64Data: (t.values as (number | bigint)[]).map((v) => Number(v)) };
    case ONNX_ELEM.STRING:
      return { ...base, stringData: (t.values as string[]).map((s) => new TextEncoder().encode(s)) };
    case ONNX_ELEM.UINT8:
      return { ...base, rawData: Uint8Array.from(t.values as number[]) };
    default:
      return { ...base, int32Data: t.values as number[] };
  }
}

function valueInfo(v: { name: string; elemType: number; shape: (number | string)[] }): onnxProto.onnx.IValueInfoProto {
  return {
    name: v.name,
    type: { tensorType: { elemType: v.elemType, shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

export function buildOnnxModel(spec: ModelSpec): Uint8Array {
  const opsets = spec.opsets ?? { '': 17, 'ai.onnx.ml': 3 };
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      producerName: spec.producer ?? 'gyre',
      opsetImport: Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
      graph: {
        name: spec.name,
        node: spec.nodes.map((n, i) => ({
          opType: n.op,
          input: n.inputs,
          output: n.outputs,
          name: n.name ?? `${n.op}_${i}`,
          ...(n.domain ? { domain: n.domain } : {}),
          attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attribute(k, v)),
        })),
        initializer: (spec.initializers ?? []).map(tensorProto),
        input: spec.inputs.map(valueInfo),
        output: spec.outputs.map(valueInfo),
      },
    }),
  ).finish();
}
