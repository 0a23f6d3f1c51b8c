/**
 * Serving's Prometheus metrics. One registry per server (no process-global state), exposed at
 * /metrics with the server's other metrics. The ones updated per request are core/fast-metrics.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FastCounter, FastGauge, FastHistogram } from '../core/fast-metrics.js';

export class ServingMetrics {
  readonly requests: FastCounter;
  readonly latency: FastHistogram;
  readonly batchRows: FastHistogram;
  readonly inFlight: FastGauge;
  readonly rejected: Counter<'deployment'>;
  readonly loadSeconds: Histogram<'deployment' | 'model' | 'version'>;
  readonly loadFailures: Counter<'deployment'>;
  readonly logDropped: Gauge;
  /** Where the dropped-records gauge reads its value at scrape time (the inference log writer). */
  droppedSource: () => number = () => 0;
  private readonly bound = new Map<string, DeploymentMetrics>();

  constructor(readonly registry: Registry) {
    this.requests = new FastCounter({
      name: 'gyre_inference_requests_total',
      help: 'Inference requests by deployment, model, version and outcome (ok, client_error, server_error).',
      labelNames: ['deployment', 'model', 'version', 'status'],
      registers: [registry],
    });
    this.latency = new FastHistogram({
      name: 'gyre_inference_duration_seconds',
      help: 'Time to answer an inference request, from parsed body to computed response.',
      labelNames: ['deployment', 'model', 'version'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.batchRows = new FastHistogram({
      name: 'gyre_inference_batch_rows',
      help: 'Rows per inference request.',
      labelNames: ['deployment'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096],
      registers: [registry],
    });
    this.inFlight = new FastGauge({ name: 'gyre_inference_in_flight', help: 'Requests being answered now (the queue depth).', labelNames: ['deployment'], registers: [registry] });
    this.rejected = new Counter({
      name: 'gyre_inference_rejected_total',
      help: 'Requests refused with 503 because the in-flight limit was reached (back-pressure).',
      labelNames: ['deployment'],
      registers: [registry],
    });
    this.loadSeconds = new Histogram({
      name: 'gyre_model_load_seconds',
      help: 'Time to load and warm up a model version.',
      labelNames: ['deployment', 'model', 'version'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.loadFailures = new Counter({ name: 'gyre_model_load_failures_total', help: 'Model versions that failed to load or warm up.', labelNames: ['deployment'], registers: [registry] });
    const self = this;
    this.logDropped = new Gauge({
      name: 'gyre_inference_log_dropped_total',
      help: 'Inference log records dropped because the log could not keep up.',
      registers: [registry],
      collect() {
        this.set(self.droppedSource());
      },
    });
  }

  /**
   * The series of one deployment, label-bound once: prom-client hashes a label object on every
   * call, which per request was several percent of a serving profile (bench/serving.js).
   */
  forDeployment(deployment: string): DeploymentMetrics {
    let m = this.bound.get(deployment);
    if (!m) this.bound.set(deployment, (m = new DeploymentMetrics(this, deployment)));
    return m;
  }
}

/** Label-bound series of one deployment (and of each model version it serves). */
export class DeploymentMetrics {
  readonly inFlight: { inc(): void; dec(): void };
  readonly batchRows: { observe(rows: number): void };
  readonly rejected: { inc(): void };
  private readonly versions = new Map<string, { ok: { inc(): void }; latency: { observe(seconds: number): void } }>();

  constructor(
    private readonly metrics: ServingMetrics,
    private readonly deployment: string,
  ) {
    this.inFlight = metrics.inFlight.labels(deployment);
    this.batchRows = metrics.batchRows.labels(deployment);
    this.rejected = metrics.rejected.labels(deployment);
  }

  /** Successful answers and their latency, by the version that gave them. */
  version(model: string, version: string): { ok: { inc(): void }; latency: { observe(seconds: number): void } } {
    const key = `${model}\u0000${version}`;
    let v = this.versions.get(key);
    if (!v) {
      v = { ok: this.metrics.requests.labels(this.deployment, model, version, 'ok'), latency: this.metrics.latency.labels(this.deployment, model, version) };
      this.versions.set(key, v);
    }
    return v;
  }
}
