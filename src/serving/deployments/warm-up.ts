/**
 * A first request for a freshly loaded model, so the first real request does not pay for ORT's lazy
 * initialisation, and so a model that loads but cannot run is caught before traffic reaches it.
 */
import type { OnnxModel } from '../onnx-model.js';
import type { InferenceRequest } from '../oip/protocol.js';

const ZERO: Record<string, unknown> = { BOOL: false, BYTES: '' };

export function warmUpRequest(model: OnnxModel): InferenceRequest {
  return {
    inputs: model.inputs.map((input) => {
      const shape = input.shape.map((d) => (d < 0 ? 1 : d));
      const count = shape.reduce((a, b) => a * b, 1);
      return { name: input.name, shape, datatype: input.datatype, data: new Array(count).fill(ZERO[input.datatype] ?? 0) };
    }),
  };
}
