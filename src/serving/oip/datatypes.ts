/**
 * Open Inference Protocol datatypes and their ONNX Runtime tensor types. JSON carries every
 * element as a JSON value; this module turns checked JSON values into the typed array ORT wants
 * and back. FP16/BF16 have no JSON form in the protocol (they need the binary-data extension), so
 * they are refused with a 400 that says so.
 */
import type { Tensor } from 'onnxruntime-node';
import { invalidArgument } from '../../core/errors.js';

export const OIP_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES', 'BF16'] as const;
export type OipDatatype = (typeof OIP_DATATYPES)[number];

const TO_ORT: Record<Exclude<OipDatatype, 'BF16'>, Tensor.Type> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

const FROM_ORT = new Map<string, OipDatatype>(Object.entries(TO_ORT).map(([oip, ort]) => [ort, oip as OipDatatype]));

export function isOipDatatype(value: unknown): value is OipDatatype {
  return typeof value === 'string' && (OIP_DATATYPES as readonly string[]).includes(value);
}

/** The OIP datatype of an ORT tensor type, e.g. for model metadata; null when the protocol has none. */
export function oipDatatypeOf(ortType: string): OipDatatype | null {
  return FROM_ORT.get(ortType) ?? null;
}

export function ortTypeOf(datatype: OipDatatype, field: string): Tensor.Type {
  if (datatype === 'FP16' || datatype === 'BF16') {
    throw invalidArgument(
      `${field}: datatype ${datatype} has no JSON representation in the Open Inference Protocol; send it with the binary tensor data extension, or send FP32 and let the model cast.`,
      { field, datatype },
    );
  }
  return TO_ORT[datatype];
}

const INT_RANGES: Partial<Record<OipDatatype, [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
};

/** Typed data for `count` JSON elements of `datatype`, each checked; the first bad one is named. */
export function toTypedData(datatype: OipDatatype, values: unknown[], field: string): Tensor['data'] {
  const bad = (i: number, want: string): never => {
    throw invalidArgument(`${field}: element ${i} is ${JSON.stringify(values[i])}, but datatype ${datatype} needs ${want}.`, { field, index: i, datatype });
  };
  switch (datatype) {
    case 'BOOL': {
      const out = new Uint8Array(values.length);
      values.forEach((v, i) => (typeof v === 'boolean' ? (out[i] = v ? 1 : 0) : bad(i, 'true or false')));
      return out;
    }
    case 'FP32':
    case 'FP64': {
      const out = datatype === 'FP32' ? new Float32Array(values.length) : new Float64Array(values.length);
      // "NaN"/"Infinity" strings are how Gyre's JSON writes non-finite numbers; accept them back.
      values.forEach((v, i) => (typeof v === 'number' ? (out[i] = v) : v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? (out[i] = Number(v)) : bad(i, 'a number')));
      return out;
    }
    case 'INT64':
    case 'UINT64': {
      const out = datatype === 'INT64' ? new BigInt64Array(values.length) : new BigUint64Array(values.length);
      values.forEach((v, i) => {
        // Integers past 2^53 cannot be JSON numbers without loss: accept them as decimal strings.
        if (typeof v === 'number' && Number.isInteger(v) && (datatype === 'INT64' || v >= 0)) out[i] = BigInt(v);
        else if (typeof v === 'string' && (datatype === 'INT64' ? /^-?\d+$/ : /^\d+$/).test(v)) out[i] = BigInt(v);
        else bad(i, datatype === 'INT64' ? 'an integer' : 'a non-negative integer');
      });
      return out;
    }
    case 'BYTES':
      return values.map((v, i) => (typeof v === 'string' ? v : bad(i, 'a string')));
    default: {
      const [lo, hi] = INT_RANGES[datatype]!;
      const Ctor = { UINT8: Uint8Array, UINT16: Uint16Array, UINT32: Uint32Array, INT8: Int8Array, INT16: Int16Array, INT32: Int32Array }[datatype as 'UINT8'];
      const out = new Ctor(values.length);
      values.forEach((v, i) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? (out[i] = v) : bad(i, `an integer in [${lo}, ${hi}]`)));
      return out;
    }
  }
}

/** JSON elements of an output tensor: int64 beyond 2^53 become decimal strings rather than lose digits. */
export function fromTypedData(type: Tensor.Type, data: Tensor['data']): unknown[] {
  if (type === 'bool') return Array.from(data as Uint8Array, (v) => v !== 0);
  if (type === 'int64' || type === 'uint64') {
    return Array.from(data as BigInt64Array, (v) => (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString()));
  }
  if (type === 'float32' || type === 'float64') {
    const xs = data as Float32Array;
    const out = new Array<unknown>(xs.length);
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i]!;
      out[i] = Number.isFinite(v) ? v : String(v);
    }
    return out;
  }
  return Array.from(data as ArrayLike<unknown>);
}
