import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FastCounter, FastGauge, FastHistogram } from './fast-metrics.js';

/** Prometheus text of one metric, built by prom-client's own registry. */
async function exposition(build: (r: Registry) => void): Promise<string> {
  const registry = new Registry();
  build(registry);
  return registry.metrics();
}

describe('fast metrics', () => {
  it('expose exactly what prom-client exposes for the same updates', async () => {
    const buckets = [0.001, 0.01, 0.1, 1];
    const observations: [string, number][] = [['a', 0.0005], ['a', 0.001], ['a', 0.05], ['b', 2], ['a', 0.5]];
    const reference = await exposition((registers) => {
      const h = new Histogram({ name: 'h_seconds', help: 'latency', labelNames: ['dep'], buckets, registers: [registers] });
      const c = new Counter({ name: 'c_total', help: 'requests', labelNames: ['dep', 'status'], registers: [registers] });
      const g = new Gauge({ name: 'g', help: 'in flight', labelNames: ['dep'], registers: [registers] });
      for (const [dep, v] of observations) {
        h.observe({ dep }, v);
        c.inc({ dep, status: 'ok' });
        g.inc({ dep });
      }
      g.dec({ dep: 'a' });
      c.inc({ dep: 'b', status: 'error' }, 3);
    });
    const fast = await exposition((registers) => {
      const h = new FastHistogram({ name: 'h_seconds', help: 'latency', labelNames: ['dep'], buckets, registers: [registers] });
      const c = new FastCounter({ name: 'c_total', help: 'requests', labelNames: ['dep', 'status'], registers: [registers] });
      const g = new FastGauge({ name: 'g', help: 'in flight', labelNames: ['dep'], registers: [registers] });
      for (const [dep, v] of observations) {
        h.labels(dep).observe(v);
        c.labels(dep, 'ok').inc();
        g.labels(dep).inc();
      }
      g.dec({ dep: 'a' });
      c.inc({ dep: 'b', status: 'error' }, 3);
    });
    expect(fast).toBe(reference);
    expect(fast).toContain('h_seconds_bucket{le="0.01",dep="a"} 2');
  });

  it('refuses a label set of the wrong size, naming the labels', () => {
    const c = new FastCounter({ name: 'x_total', help: 'x', labelNames: ['a', 'b'] });
    expect(() => c.labels('only-one')).toThrow(/takes 2 label values \(a, b\)/);
  });
});
