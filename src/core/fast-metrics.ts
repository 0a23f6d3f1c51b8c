/**
 * Counters, gauges and histograms for per-request paths, exposed by a prom-client Registry like
 * its own metrics (same names, types, labels and text format). prom-client validates and hashes
 * the label set on every update, bound child or not — ~1 µs per call, several percent of a
 * serving profile at 20k requests/s (bench/serving.js). Here a label set is resolved once, to a
 * series object, and an update is a few additions on it.
 */
import type { Registry } from 'prom-client';

type Labels = Record<string, string | number>;

interface ExportedValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

interface MetricOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
  registers?: Registry[];
}

abstract class FastMetric<S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** How prom-client's cluster aggregation combines workers' values. */
  readonly aggregator = 'sum';
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  protected series = new Map<string, { labels: Labels; state: S }>();

  constructor(opts: MetricOptions) {
    this.name = opts.name;
    this.help = opts.help;
    this.labelNames = opts.labelNames ?? [];
    for (const r of opts.registers ?? []) r.registerMetric(this as never);
  }

  protected abstract fresh(): S;

  /** The series of these label values (in labelNames order), created on first use. */
  protected seriesOf(values: readonly (string | number)[]): S {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      if (values.length !== this.labelNames.length) throw new TypeError(`${this.name} takes ${this.labelNames.length} label values (${this.labelNames.join(', ')}), got ${values.length}.`);
      s = { labels: Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!])), state: this.fresh() };
      this.series.set(key, s);
    }
    return s.state;
  }

  protected seriesOfObject(labels: Labels = {}): S {
    return this.seriesOf(this.labelNames.map((n) => labels[n] ?? ''));
  }

  protected abstract values(): ExportedValue[];

  async get(): Promise<{ name: string; help: string; type: string; values: ExportedValue[]; aggregator: string }> {
    return { name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: this.aggregator };
  }

  reset(): void {
    this.series.clear();
  }
}

export class FastCounter extends FastMetric<{ value: number }> {
  readonly type = 'counter';
  protected fresh() {
    return { value: 0 };
  }
  labels(...values: (string | number)[]): { inc(by?: number): void } {
    const s = this.seriesOf(values);
    return { inc: (by = 1) => void (s.value += by) };
  }
  inc(labels?: Labels, by = 1): void {
    this.seriesOfObject(labels).value += by;
  }
  protected values(): ExportedValue[] {
    return [...this.series.values()].map(({ labels, state }) => ({ labels, value: state.value }));
  }
}

export class FastGauge extends FastMetric<{ value: number }> {
  readonly type = 'gauge';
  protected fresh() {
    return { value: 0 };
  }
  labels(...values: (string | number)[]): { inc(by?: number): void; dec(by?: number): void; set(v: number): void } {
    const s = this.seriesOf(values);
    return { inc: (by = 1) => void (s.value += by), dec: (by = 1) => void (s.value -= by), set: (v) => void (s.value = v) };
  }
  inc(labels?: Labels, by = 1): void {
    this.seriesOfObject(labels).value += by;
  }
  dec(labels?: Labels, by = 1): void {
    this.seriesOfObject(labels).value -= by;
  }
  protected values(): ExportedValue[] {
    return [...this.series.values()].map(({ labels, state }) => ({ labels, value: state.value }));
  }
}

interface HistogramState {
  /** Observations per bucket (not cumulative); the last slot is beyond every bound (+Inf). */
  counts: number[];
  sum: number;
  count: number;
}

export class FastHistogram extends FastMetric<HistogramState> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(opts: MetricOptions & { buckets: readonly number[] }) {
    super(opts);
    this.buckets = [...opts.buckets].sort((a, b) => a - b);
  }
  protected fresh(): HistogramState {
    return { counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 };
  }
  labels(...values: (string | number)[]): { observe(v: number): void } {
    const s = this.seriesOf(values);
    return { observe: (v) => this.add(s, v) };
  }
  observe(labels: Labels, value: number): void {
    this.add(this.seriesOfObject(labels), value);
  }
  private add(s: HistogramState, v: number): void {
    if (!Number.isFinite(v)) return;
    let i = 0;
    while (i < this.buckets.length && v > this.buckets[i]!) i++;
    s.counts[i]!++;
    s.sum += v;
    s.count++;
  }
  protected values(): ExportedValue[] {
    const out: ExportedValue[] = [];
    for (const { labels, state } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += state.counts[i]!;
        out.push({ labels: { le, ...labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      out.push({ labels: { le: '+Inf', ...labels }, value: state.count, metricName: `${this.name}_bucket` });
      out.push({ labels, value: state.sum, metricName: `${this.name}_sum` });
      out.push({ labels, value: state.count, metricName: `${this.name}_count` });
    }
    return out;
  }
}
