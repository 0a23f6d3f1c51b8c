/**
 * Checks an OIP inference request against a model's signature and turns it into ORT feeds. Every
 * refusal is a 400 that names the input and what to send instead: clients of KServe and Triton
 * get far vaguer errors, and a wrong shape is the most common mistake.
 */
import ort from 'onnxruntime-node';
import { invalidArgument } from '../../core/errors.js';
import { isOipDatatype, ortTypeOf, toTypedData } from './datatypes.js';
import type { InferenceRequest, TensorMetadata } from './protocol.js';

export interface DecodedRequest {
  feeds: Record<string, ort.Tensor>;
  outputNames: string[];
  /** Rows in the request: the first dimension of the first input (for batching and logs). */
  batchSize: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function decodeRequest(body: unknown, inputs: readonly TensorMetadata[], outputs: readonly TensorMetadata[]): DecodedRequest {
  if (!isObject(body)) throw invalidArgument('The request body must be a JSON object with an "inputs" list.');
  const request = body as unknown as InferenceRequest;
  if (request.id !== undefined && typeof request.id !== 'string') throw invalidArgument('"id" must be a string.', { field: 'id' });
  if (!Array.isArray(request.inputs) || request.inputs.length === 0) {
    throw invalidArgument(`"inputs" must be a non-empty list; this model takes ${describe(inputs)}.`, { field: 'inputs' });
  }
  const byName = specsByName(inputs);
  const feeds: Record<string, ort.Tensor> = {};
  let batchSize = 0;
  request.inputs.forEach((input, index) => {
    const field = `inputs[${index}]`;
    if (!isObject(input) || typeof input.name !== 'string') throw invalidArgument(`${field} must be an object with a "name".`, { field });
    const spec = byName.get(input.name);
    if (!spec) throw invalidArgument(`${field}: this model has no input '${input.name}'; it takes ${describe(inputs)}.`, { field, name: input.name });
    if (feeds[input.name]) throw invalidArgument(`${field}: input '${input.name}' is given twice.`, { field, name: input.name });
    const at = `input '${input.name}'`;
    if (!isOipDatatype(input.datatype)) throw invalidArgument(`${at}: "datatype" must be one of the protocol's datatypes (e.g. FP32, INT64, BYTES), got ${JSON.stringify(input.datatype)}.`, { field: `${field}.datatype` });
    if (input.datatype !== spec.datatype) throw invalidArgument(`${at}: the model expects ${spec.datatype}, got ${input.datatype}.`, { field: `${field}.datatype`, expected: spec.datatype });
    const shape = checkShape(input.shape, spec, at, `${field}.shape`);
    const values = flatten(input.data, at);
    const count = shape.reduce((a, b) => a * b, 1);
    if (values.length !== count) {
      throw invalidArgument(`${at}: shape [${shape.join(', ')}] holds ${count} elements but "data" has ${values.length}.`, { field: `${field}.data`, expected: count, got: values.length });
    }
    feeds[input.name] = new ort.Tensor(ortTypeOf(input.datatype, at), toTypedData(input.datatype, values, at) as never, shape);
    if (index === 0) batchSize = shape[0] ?? 1;
  });
  const missing = inputs.filter((i) => !feeds[i.name]);
  if (missing.length) throw invalidArgument(`Missing input${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m.name}'`).join(', ')}; this model takes ${describe(inputs)}.`, { missing: missing.map((m) => m.name) });
  return { feeds, outputNames: requestedOutputs(request, outputs), batchSize };
}

function checkShape(shape: unknown, spec: TensorMetadata, at: string, field: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw invalidArgument(`${at}: "shape" must be a list of non-negative integers, got ${JSON.stringify(shape)}.`, { field });
  }
  if (shape.length !== spec.shape.length) {
    throw invalidArgument(`${at}: the model expects ${spec.shape.length} dimensions [${spec.shape.join(', ')}], got [${shape.join(', ')}].`, { field, expected: spec.shape });
  }
  spec.shape.forEach((want, i) => {
    if (want >= 0 && shape[i] !== want) throw invalidArgument(`${at}: dimension ${i} must be ${want} (model shape [${spec.shape.join(', ')}]), got ${shape[i]}.`, { field, expected: spec.shape });
  });
  return shape as number[];
}

/**
 * Row-major flattening of nested lists; flat lists pass through. A hand-written walk: Array.flat
 * (Infinity) was 3% of a serving profile for single-row requests (bench/serving.js).
 */
function flatten(data: unknown, at: string): unknown[] {
  if (!Array.isArray(data)) throw invalidArgument(`${at}: "data" must be a list (flat or nested, row-major).`, { field: 'data' });
  let nested = false;
  for (let i = 0; i < data.length; i++) {
    if (Array.isArray(data[i])) {
      nested = true;
      break;
    }
  }
  if (!nested) return data;
  const out: unknown[] = [];
  const walk = (xs: unknown[]): void => {
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (Array.isArray(x)) walk(x);
      else out.push(x);
    }
  };
  walk(data);
  return out;
}

// Per model signature, built once: a request is decoded tens of thousands of times a second.
const byNameCache = new WeakMap<readonly TensorMetadata[], Map<string, TensorMetadata>>();
const allOutputsCache = new WeakMap<readonly TensorMetadata[], string[]>();
function specsByName(specs: readonly TensorMetadata[]): Map<string, TensorMetadata> {
  let m = byNameCache.get(specs);
  if (!m) byNameCache.set(specs, (m = new Map(specs.map((i) => [i.name, i]))));
  return m;
}

/** The outputs a request asks for; all of them (one shared, frozen list per model) when it names none. */
function requestedOutputs(request: InferenceRequest, outputs: readonly TensorMetadata[]): string[] {
  if (request.outputs === undefined) {
    let all = allOutputsCache.get(outputs);
    if (!all) allOutputsCache.set(outputs, (all = Object.freeze(outputs.map((o) => o.name)) as string[]));
    return all;
  }
  if (!Array.isArray(request.outputs)) throw invalidArgument('"outputs" must be a list of {"name": ...}.', { field: 'outputs' });
  const known = new Set(outputs.map((o) => o.name));
  return request.outputs.map((o, i) => {
    const name = isObject(o) ? o.name : undefined;
    if (typeof name !== 'string' || !known.has(name)) {
      throw invalidArgument(`outputs[${i}]: this model has no output ${JSON.stringify(name)}; it has ${[...known].map((k) => `'${k}'`).join(', ')}.`, { field: `outputs[${i}]` });
    }
    return name;
  });
}

function describe(specs: readonly TensorMetadata[]): string {
  return specs.map((s) => `'${s.name}' (${s.datatype} [${s.shape.join(', ')}])`).join(', ');
}
