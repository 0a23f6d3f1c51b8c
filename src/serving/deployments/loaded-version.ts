/**
 * A model version loaded for serving, counting the requests it is answering so that a version
 * replaced by an alias move is released only after its last request finished (drain).
 */
import type { OnnxModel } from '../onnx-model.js';
import type { ResolvedModel } from './model-source.js';
import type { InferenceResponse } from '../oip/protocol.js';
import type { GyreModelManifest } from '../../models/manifest.js';
import type ort from 'onnxruntime-node';

export class LoadedVersion {
  private inflight = 0;
  private retired = false;
  private drained: (() => void) | null = null;

  constructor(
    readonly resolved: ResolvedModel,
    readonly model: OnnxModel,
    /** Milliseconds the load and warm-up took (a metric). */
    readonly loadMs: number,
    /** The package manifest, for the records endpoint; null for models without one. */
    readonly manifest: GyreModelManifest | null = null,
  ) {}

  async infer(body: unknown, deployment: string): Promise<InferenceResponse> {
    this.inflight++;
    try {
      return await this.model.infer(body, deployment, this.resolved.version);
    } finally {
      this.inflight--;
      if (this.retired && this.inflight === 0) this.drained?.();
    }
  }

  /** Runs ready-made feeds (the records endpoint), counted like any request. */
  async run(feeds: Record<string, ort.Tensor>, outputs: string[]): Promise<Record<string, ort.Tensor>> {
    this.inflight++;
    try {
      return await this.model.run(feeds, outputs);
    } finally {
      this.inflight--;
      if (this.retired && this.inflight === 0) this.drained?.();
    }
  }

  /** Releases the session once in-flight requests are done. */
  async retire(): Promise<void> {
    this.retired = true;
    if (this.inflight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.model.release();
  }
}
