/**
 * One deployment, live: the model versions its spec names, loaded and warm, and the route that
 * sends each request to one of them. A refresh re-resolves the references (an alias may have
 * moved), loads and warms any new version beside the serving ones, then swaps the whole route in
 * one assignment — a request sees the old route or the new, never a mix — and retires versions no
 * longer routed once their in-flight requests finish. A version that fails to load leaves the
 * current route serving and is reported as an event.
 */
import { randomUUID } from 'node:crypto';
import { OnnxModel } from '../onnx-model.js';
import type { LoadOptions } from '../onnx-model.js';
import { LoadedVersion } from './loaded-version.js';
import { warmUpRequest } from './warm-up.js';
import { pickVariant } from './traffic.js';
import type { DeploymentSpec, Variant } from './entities.js';
import type { ModelSource, ResolvedModel } from './model-source.js';
import type { InferenceLogWriter } from '../inference-log/inference-log-writer.js';
import type { InferenceRecord } from '../inference-log/entities.js';
import type { InferenceResponse, ModelMetadata } from '../oip/protocol.js';
import { notReady, unknownVersion } from '../served-models.js';
import type { DeploymentMetrics, ServingMetrics } from '../serving-metrics.js';
import { GyreError } from '../../core/errors.js';
import { recordsToFeeds } from '../../models/records-to-tensors.js';
import { fromTypedData } from '../oip/datatypes.js';
import type ort from 'onnxruntime-node';

export interface RecordsResponse {
  deployment: string;
  modelName: string;
  modelVersion: string;
  requestId: string;
  /** One object per record: output name → value (a number, a label, or a list such as class probabilities). */
  predictions: Record<string, unknown>[];
}

/** Row i of an output whose first dimension is the batch: a scalar for [N] and [N, 1], a list for [N, k]. */
function rowOf(t: ort.Tensor, i: number, n: number): unknown {
  const values = fromTypedData(t.type, t.data);
  const width = values.length / n;
  return width === 1 ? values[i] : values.slice(i * width, (i + 1) * width);
}
import type { InferContext } from '../served-models.js';

export interface ServingEvent {
  type: 'model_loaded' | 'model_load_failed' | 'traffic_switched';
  deployment: string;
  at: number;
  detail: Record<string, unknown>;
}

export interface RuntimeDeps {
  source: ModelSource;
  log?: InferenceLogWriter;
  onEvent?: (event: ServingEvent) => void;
  metrics?: ServingMetrics;
  /** Requests answered at once per deployment; beyond it, 503 with Retry-After (default 256). */
  maxInFlight?: number;
  /**
   * The time stamped on inference-log records and events (default Date.now). A replay on a
   * simulated clock (the continuous-training demo) injects its own, so monitoring windows follow it.
   */
  clock?: () => number;
}

/** What serve() needs to know of an answer, each part computed only when used. */
interface Described<T> {
  /** Which endpoint the request came to: the inference log decodes a stored request body by it. */
  endpoint: 'oip' | 'records';
  rows(result: T): number | undefined;
  id?(result: T): string | undefined;
  inputs(): unknown;
  outputs(result: T): unknown;
}

interface Route {
  spec: DeploymentSpec;
  variants: { variant: Variant; loaded: LoadedVersion }[];
  shadow: LoadedVersion | null;
}

export class DeploymentRuntime {
  private route: Route | null = null;
  private readonly loaded = new Map<string, LoadedVersion>();
  private refreshing: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private readonly metrics: DeploymentMetrics | undefined;

  constructor(
    readonly name: string,
    private spec: DeploymentSpec,
    private readonly deps: RuntimeDeps,
  ) {
    this.metrics = deps.metrics?.forDeployment(name);
  }

  get ready(): boolean {
    return this.route !== null;
  }

  /** The versions serving now, as `{variant, model, version}`. */
  serving(): { variant: string; modelName: string; version: string }[] {
    if (!this.route) return [];
    const rows = this.route.variants.map((v) => ({ variant: v.variant.name, modelName: v.loaded.resolved.modelName, version: v.loaded.resolved.version }));
    if (this.route.shadow) rows.push({ variant: 'shadow', modelName: this.route.shadow.resolved.modelName, version: this.route.shadow.resolved.version });
    return rows;
  }

  /** Applies a new spec (or re-resolves the current one when omitted); serialized per deployment. */
  refresh(spec: DeploymentSpec = this.spec): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.doRefresh(spec));
    return this.refreshing;
  }

  private async doRefresh(spec: DeploymentSpec): Promise<void> {
    this.spec = spec;
    let variants: Route['variants'];
    let shadow: LoadedVersion | null = null;
    try {
      variants = [];
      for (const variant of spec.variants) variants.push({ variant, loaded: await this.load(await this.deps.source.resolve(variant.model)) });
      if (spec.shadow) shadow = await this.load(await this.deps.source.resolve(spec.shadow.model));
    } catch (err) {
      this.emit('model_load_failed', { error: (err as Error).message, keptServing: this.serving() });
      this.deps.metrics?.loadFailures.inc({ deployment: this.name });
      return;
    }
    const before = this.serving();
    this.route = { spec, variants, shadow };
    const after = this.serving();
    if (JSON.stringify(before) !== JSON.stringify(after)) this.emit('traffic_switched', { from: before, to: after });
    const inUse = new Set([...variants.map((v) => v.loaded), ...(shadow ? [shadow] : [])]);
    for (const [digest, lv] of this.loaded) {
      if (inUse.has(lv)) continue;
      this.loaded.delete(digest);
      void lv.retire();
    }
  }

  private async load(resolved: ResolvedModel): Promise<LoadedVersion> {
    const cached = this.loaded.get(resolved.packageDigest);
    if (cached) return cached;
    const started = performance.now();
    const options: LoadOptions = this.spec.batching ? { batching: true, ...this.spec.batching } : {};
    const model = await OnnxModel.load(await this.deps.source.loadOnnx(resolved), options);
    try {
      await model.infer(warmUpRequest(model), this.name);
    } catch (err) {
      await model.release();
      throw new Error(`version ${resolved.version} of '${resolved.modelName}' loads but fails its warm-up request: ${(err as Error).message}`);
    }
    const manifest = this.deps.source.loadManifest ? await this.deps.source.loadManifest(resolved) : null;
    const lv = new LoadedVersion(resolved, model, performance.now() - started, manifest);
    this.loaded.set(resolved.packageDigest, lv);
    this.emit('model_loaded', { modelName: resolved.modelName, version: resolved.version, loadMs: Math.round(lv.loadMs) });
    this.deps.metrics?.loadSeconds.observe({ deployment: this.name, model: resolved.modelName, version: resolved.version }, lv.loadMs / 1000);
    return lv;
  }

  metadata(version?: string): ModelMetadata {
    const route = this.requireRoute();
    const lv = version === undefined ? route.variants[0]!.loaded : this.pinned(route, version);
    return lv.model.metadata(this.name, version === undefined ? [...new Set(route.variants.map((v) => v.loaded.resolved.version))] : [version]);
  }

  checkReady(version?: string): void {
    const route = this.requireRoute();
    if (version !== undefined) this.pinned(route, version);
  }

  /** One OIP request: tensors in, tensors out. */
  infer(version: string | undefined, body: unknown, context: InferContext): Promise<InferenceResponse> {
    const oipInputs = (b: unknown) => Object.fromEntries(((b as { inputs?: { name: string; data: unknown }[] }).inputs ?? []).map((i) => [i.name, i.data]));
    return this.serve(version, context, (lv) => lv.infer(body, this.name), {
      endpoint: 'oip',
      rows: () => (body as { inputs?: { shape?: number[] }[] }).inputs?.[0]?.shape?.[0],
      id: (r) => r.id,
      inputs: () => oipInputs(body),
      outputs: (r) => Object.fromEntries(r.outputs.map((o) => [o.name, o.data])),
    });
  }

  /**
   * One records request: raw feature values in (checked against the version's manifest), one
   * prediction object per record out, with the version that produced them.
   */
  predict(records: unknown, context: InferContext): Promise<RecordsResponse> {
    return this.serve(
      undefined,
      context,
      async (lv) => {
        if (!lv.manifest) throw new GyreError('INVALID_STATE', `${lv.resolved.modelName} version ${lv.resolved.version} has no manifest, so it has no records interface; use the OIP endpoint /v2/models/${this.name}/infer.`, {});
        const feeds = recordsToFeeds(records, lv.manifest, lv.model.inputs);
        const names = lv.model.outputs.map((o) => o.name);
        const out = await lv.run(feeds, names);
        const n = (records as unknown[]).length;
        const predictions = Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((name) => [name, rowOf(out[name]!, i, n)])));
        return { deployment: this.name, modelName: lv.resolved.modelName, modelVersion: lv.resolved.version, requestId: context.requestId ?? '', predictions };
      },
      { endpoint: 'records', rows: (r) => r.predictions.length, inputs: () => records, outputs: (r) => r.predictions },
    );
  }

  /** Routing, back-pressure, metrics, the inference log and shadow mirroring, for both interfaces. */
  private async serve<T>(
    version: string | undefined,
    context: InferContext,
    call: (lv: LoadedVersion) => Promise<T>,
    describe: Described<T>,
  ): Promise<T> {
    const route = this.requireRoute();
    const metrics = this.metrics;
    // Back-pressure: a bounded number of requests per deployment, never an unbounded queue.
    if (this.inFlight >= (this.deps.maxInFlight ?? 256)) {
      metrics?.rejected.inc();
      throw new GyreError('UNAVAILABLE', `Deployment '${this.name}' is at its in-flight limit; retry shortly.`, { deployment: this.name, retryAfterSeconds: 1 });
    }
    this.inFlight++;
    metrics?.inFlight.inc();
    try {
      const started = performance.now();
      const header = route.spec.stickyHeader ? context.headers[route.spec.stickyHeader.toLowerCase()] : undefined;
      const pick = version === undefined ? pickVariant(route.spec, Array.isArray(header) ? header[0] : header) : null;
      const lv = pick ? route.variants.find((v) => v.variant === pick.variant)!.loaded : this.pinned(route, version!);
      const labels = { deployment: this.name, model: lv.resolved.modelName, version: lv.resolved.version };
      let result: T;
      try {
        result = await call(lv);
      } catch (err) {
        this.deps.metrics?.requests.inc({ ...labels, status: err instanceof GyreError && err.status < 500 ? 'client_error' : 'server_error' });
        throw err;
      }
      const latencyMs = performance.now() - started;
      if (metrics) {
        const m = metrics.version(lv.resolved.modelName, lv.resolved.version);
        m.ok.inc();
        m.latency.observe(latencyMs / 1000);
        const rows = describe.rows(result);
        if (typeof rows === 'number') metrics.batchRows.observe(rows);
      }
      // The log's payload is built only for records that are kept: sampling and logging off cost nothing.
      const shadow = pick?.shadow && route.shadow ? route.shadow : null;
      const logPrimary = this.deps.log !== undefined && this.sampled();
      if (!logPrimary && !shadow) return result;
      const requestId = context.requestId || describe.id?.(result) || randomUUID();
      // The body's own text when the transport kept it: stored as it is, the inputs not rebuilt.
      const request = context.requestJson !== undefined ? { endpoint: describe.endpoint, json: context.requestJson } : undefined;
      const inputs = request ? null : describe.inputs();
      if (logPrimary) this.record(requestId, 'primary', lv, inputs, request, describe.outputs(result), latencyMs);
      if (shadow) {
        const t0 = performance.now();
        // Mirrored after the answer is computed: the shadow never delays or fails the request.
        call(shadow).then(
          (r) => this.record(requestId, 'shadow', shadow, inputs, request, describe.outputs(r), performance.now() - t0),
          () => {},
        );
      }
      return result;
    } finally {
      this.inFlight--;
      metrics?.inFlight.dec();
    }
  }

  /** Per-deployment sampling of primary traffic; shadow answers are always kept (they exist to be compared). */
  private sampled(): boolean {
    const rate = this.spec.logSampleRate ?? 1;
    return rate >= 1 || Math.random() < rate;
  }

  private record(requestId: string, variant: 'primary' | 'shadow', lv: LoadedVersion, inputs: unknown, request: InferenceRecord['request'], outputs: unknown, latencyMs: number): void {
    this.deps.log?.log({
      deployment: this.name,
      requestId,
      timestamp: this.deps.clock?.() ?? Date.now(),
      modelName: lv.resolved.modelName,
      modelVersion: lv.resolved.version,
      variant,
      inputs,
      outputs,
      latencyMs,
      ...(request ? { request } : {}),
    });
  }

  private requireRoute(): Route {
    if (!this.route) throw notReady(this.name);
    return this.route;
  }

  private pinned(route: Route, version: string): LoadedVersion {
    const hit = route.variants.find((v) => v.loaded.resolved.version === version);
    if (!hit) throw unknownVersion(this.name, version, [...new Set(route.variants.map((v) => v.loaded.resolved.version))]);
    return hit.loaded;
  }

  private emit(type: ServingEvent['type'], detail: Record<string, unknown>): void {
    this.deps.onEvent?.({ type, deployment: this.name, at: this.deps.clock?.() ?? Date.now(), detail });
  }

  async close(): Promise<void> {
    this.route = null;
    await Promise.all([...this.loaded.values()].map((lv) => lv.retire()));
    this.loaded.clear();
  }
}
