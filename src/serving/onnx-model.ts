/**
 * One ONNX model loaded in an ONNX Runtime session, answering OIP inference requests. Any ONNX model
 * works, not only Gyre's: the signature comes from the session itself. Outputs ORT cannot hand to
 * JavaScript (sequences and maps, e.g. scikit-learn's ZipMap probabilities) are left out of the
 * signature; their tensor siblings (label, probability tensor) are served.
 */
import ort from 'onnxruntime-node';
import { invalidArgument } from '../core/errors.js';
import { oipDatatypeOf } from './oip/datatypes.js';
import { decodeRequest } from './oip/decode-request.js';
import { fromTypedData } from './oip/datatypes.js';
import type { InferenceResponse, ModelMetadata, TensorMetadata } from './oip/protocol.js';
import { canBatch, DynamicBatcher } from './dynamic-batcher.js';

export interface LoadOptions {
  /** Threads per session; serving many models on 2 cores wants 1 each. */
  intraOpThreads?: number;
  /** Merge concurrent requests into one ORT call (default off; only models with a free batch dimension). */
  batching?: boolean;
  maxBatchRows?: number;
  maxQueueDelayMs?: number;
}

export class OnnxModel {
  /** Null when the model cannot be batched or batching is off. */
  readonly batcher: DynamicBatcher | null;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly inputs: TensorMetadata[],
    readonly outputs: TensorMetadata[],
    options: LoadOptions,
  ) {
    this.batcher =
      options.batching === true && canBatch(inputs, outputs)
        ? new DynamicBatcher((feeds, names) => this.runNow(feeds, names), {
            ...(options.maxBatchRows ? { maxBatchRows: options.maxBatchRows } : {}),
            ...(options.maxQueueDelayMs ? { maxQueueDelayMs: options.maxQueueDelayMs } : {}),
          })
        : null;
  }

  /** Loads model bytes; a file ORT cannot load is refused with the runtime's own reason. */
  static async load(bytes: Uint8Array, options: LoadOptions = {}): Promise<OnnxModel> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: options.intraOpThreads ?? 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (err) {
      throw invalidArgument(`ONNX Runtime cannot load this model: ${(err as Error).message}`, { reason: (err as Error).message });
    }
    return new OnnxModel(session, signature(session.inputMetadata, 'input'), signature(session.outputMetadata, 'output').filter((o) => o.datatype !== null), options);
  }

  metadata(name: string, versions?: string[]): ModelMetadata {
    return { name, ...(versions ? { versions } : {}), platform: 'onnxruntime_onnx', inputs: this.inputs, outputs: this.outputs };
  }

  /** Runs one OIP request. `body` is the parsed JSON; bad input is a GyreError INVALID_ARGUMENT. */
  async infer(body: unknown, modelName: string, modelVersion?: string): Promise<InferenceResponse> {
    const decoded = decodeRequest(body, this.inputs, this.outputs);
    const results = await this.run(decoded.feeds, decoded.outputNames);
    const id = (body as { id?: string }).id;
    const response: InferenceResponse = { model_name: modelName } as InferenceResponse;
    if (modelVersion !== undefined) response.model_version = modelVersion;
    if (id !== undefined) response.id = id;
    response.outputs = decoded.outputNames.map((name) => {
      const t = results[name]!;
      return { name, shape: [...t.dims], datatype: oipDatatypeOf(t.type)!, data: fromTypedData(t.type, t.data) };
    });
    return response;
  }

  /** Runs feeds through the batcher when there is one, so concurrent callers share ORT calls. */
  run(feeds: Record<string, ort.Tensor>, outputNames: string[]): Promise<Record<string, ort.Tensor>> {
    return this.batcher ? this.batcher.submit(feeds, outputNames) : this.runNow(feeds, outputNames);
  }

  private async runNow(feeds: Record<string, ort.Tensor>, outputNames: string[]): Promise<Record<string, ort.Tensor>> {
    try {
      return (await this.session.run(feeds, outputNames)) as Record<string, ort.Tensor>;
    } catch (err) {
      // Shapes and types were checked; what is left is the model rejecting values (e.g. an index out of range).
      throw invalidArgument(`The model could not run on this input: ${(err as Error).message}`, { reason: (err as Error).message });
    }
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

type Meta = ort.InferenceSession.ValueMetadata;

function signature(metas: readonly Meta[], kind: string): TensorMetadata[] {
  return metas.flatMap((m) => {
    if (!m.isTensor) return kind === 'output' ? [] : [{ name: m.name, datatype: null as never, shape: [] }];
    const datatype = oipDatatypeOf(m.type);
    if (!datatype) return [];
    return [{ name: m.name, datatype, shape: m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) }];
  });
}
