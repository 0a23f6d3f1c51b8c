/**
 * ROC and precision-recall curves of a binary score, one point per distinct threshold (ties form one
 * threshold, as scikit-learn's roc_curve / precision_recall_curve), thinned to at most `maxPoints`
 * so a report of a million rows stays small. The first and last points are always kept.
 */
export interface CurvePoint {
  x: number;
  y: number;
  threshold: number;
}

interface Counts {
  tp: number;
  fp: number;
  threshold: number;
}

/** Cumulative true/false positives at each distinct score, from the highest score down. */
function cumulative(positive: ArrayLike<boolean>, score: ArrayLike<number>): { steps: Counts[]; pos: number; neg: number } {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  let tp = 0;
  let fp = 0;
  const steps: Counts[] = [];
  for (let i = 0; i < n; ) {
    const s = score[order[i]!]!;
    while (i < n && score[order[i]!] === s) {
      if (positive[order[i]!]) tp++;
      else fp++;
      i++;
    }
    steps.push({ tp, fp, threshold: s });
  }
  return { steps, pos: tp, neg: fp };
}

function thin(points: CurvePoint[], maxPoints: number): CurvePoint[] {
  if (points.length <= maxPoints) return points;
  const step = (points.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, i) => points[Math.round(i * step)]!);
}

/** x = false-positive rate, y = true-positive rate; starts at (0, 0). */
export function rocCurve(positive: ArrayLike<boolean>, score: ArrayLike<number>, maxPoints = 200): CurvePoint[] {
  const { steps, pos, neg } = cumulative(positive, score);
  const points = [{ x: 0, y: 0, threshold: Infinity }, ...steps.map((s) => ({ x: neg ? s.fp / neg : 0, y: pos ? s.tp / pos : 0, threshold: s.threshold }))];
  return thin(points, maxPoints);
}

/** x = recall, y = precision, from the strictest threshold down. */
export function prCurve(positive: ArrayLike<boolean>, score: ArrayLike<number>, maxPoints = 200): CurvePoint[] {
  const { steps, pos } = cumulative(positive, score);
  const points = steps.map((s) => ({ x: pos ? s.tp / pos : 0, y: s.tp / (s.tp + s.fp), threshold: s.threshold }));
  return thin(points, maxPoints);
}
