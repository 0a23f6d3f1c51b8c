/**
 * Serving's Prometheus metrics. One registry per server (no process-global state), exposed at
 * /metrics with the server's other metrics.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class ServingMetrics {
  readonly requests: Counter<'deployment' | 'model' | 'version' | 'status'>;
  readonly latency: Histogram<'deployment' | 'model' | 'version'>;
  readonly batchRows: Histogram<'deployment'>;
  readonly inFlight: Gauge<'deployment'>;
  readonly rejected: Counter<'deployment'>;
  readonly loadSeconds: Histogram<'deployment' | 'model' | 'version'>;
  readonly loadFailures: Counter<'deployment'>;
  readonly logDropped: Gauge;
  /** Where the dropped-records gauge reads its value at scrape time (the inference log writer). */
  droppedSource: () => number = () => 0;

  constructor(readonly registry: Registry) {
    this.requests = new Counter({
      name: 'gyre_inference_requests_total',
      help: 'Inference requests by deployment, model, version and outcome (ok, client_error, server_error).',
      labelNames: ['deployment', 'model', 'version', 'status'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'gyre_inference_duration_seconds',
      help: 'Time to answer an inference request, from parsed body to computed response.',
      labelNames: ['deployment', 'model', 'version'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.batchRows = new Histogram({
      name: 'gyre_inference_batch_rows',
      help: 'Rows per inference request.',
      labelNames: ['deployment'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096],
      registers: [registry],
    });
    this.inFlight = new Gauge({ name: 'gyre_inference_in_flight', help: 'Requests being answered now (the queue depth).', labelNames: ['deployment'], registers: [registry] });
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
}
