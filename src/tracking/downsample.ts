import type { Metric } from './entities.js';

/**
 * Shrinks a long metric history to about `maxPoints` points for plotting, keeping each bucket's
 * first, minimum, maximum and last point (the M4 rule), so spikes and the curve's ends survive,
 * which plain striding would lose.
 */
export function downsampleMetric(points: Metric[], maxPoints: number): Metric[] {
  if (points.length <= maxPoints || maxPoints < 4) return points.length <= maxPoints ? points : points.slice(0, maxPoints);
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const size = points.length / buckets;
  const keep: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(points.length, Math.floor((b + 1) * size));
    if (start >= end) continue;
    let min = start;
    let max = start;
    for (let i = start; i < end; i++) {
      const v = points[i].value;
      if (v < points[min].value) min = i;
      if (v > points[max].value) max = i;
    }
    keep.push(start, min, max, end - 1);
  }
  return [...new Set(keep)].sort((a, b) => a - b).map((i) => points[i]);
}
