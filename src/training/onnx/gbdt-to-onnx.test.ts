/**
 * The exporter against an independent evaluation of the same trees: ONNX Runtime's answers equal
 * the in-process walk (|Δ| ≤ 1e-5) for regression, binary and multiclass models with numeric and
 * categorical splits, missing values and categories unseen at training.
 */
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { gbdtToOnnx } from './gbdt-to-onnx.js';
import type { GbdtLike, TreeLike } from './gbdt-to-onnx.js';

const CITIES = ['Berlin', 'Paris', 'Rome'];
const features: GbdtLike['features'] = [
  { name: 'temp', kind: 'numeric' },
  { name: 'city', kind: 'categorical', categories: CITIES },
];

// node 0: temp <= 15 (missing → left) ; node 1: city in {Paris} (missing → right) ; leaves 2, 3, 4
const tree = (w: number): TreeLike => ({
  feature: [0, 1, -1, -1, -1],
  threshold: [15, 0, 0, 0, 0],
  categories: [null, [1], null, null, null],
  missingLeft: [true, false, false, false, false],
  left: [1, 2, -1, -1, -1],
  right: [4, 3, -1, -1, -1],
  value: [0, 0, 1 * w, 2 * w, 3 * w],
});
// A categorical split whose left set is empty (every present category goes right).
const emptySet: TreeLike = { feature: [1, -1, -1], threshold: [0, 0, 0], categories: [[], null, null], missingLeft: [true, false, false], left: [1, -1, -1], right: [2, -1, -1], value: [0, 7, 11] };
const stump = (v: number): TreeLike => ({ feature: [-1], threshold: [0], categories: [null], missingLeft: [false], left: [-1], right: [-1], value: [v] });

function walk(t: TreeLike, x: number[]): number {
  let i = 0;
  for (;;) {
    const f = t.feature[i]!;
    if (f < 0) return t.value[i]!;
    const v = x[f]!;
    const cats = t.categories[i];
    const left = Number.isNaN(v) ? t.missingLeft[i]! : cats ? cats.includes(v) : v <= t.threshold[i]!;
    i = left ? t.left[i]! : t.right[i]!;
  }
}

const rows: [number | null, string | null][] = [
  [10, 'Paris'],
  [10, 'Rome'],
  [20, 'Paris'],
  [null, 'Paris'],
  [10, null],
  [10, 'Oslo'], // unseen at training: scored as missing
  [15, 'Berlin'],
];
const encode = ([t, c]: [number | null, string | null]) => [t ?? Number.NaN, c === null || !CITIES.includes(c) ? Number.NaN : CITIES.indexOf(c)];

async function run(model: GbdtLike) {
  const session = await ort.InferenceSession.create(gbdtToOnnx(model));
  const feeds = {
    temp: new ort.Tensor('float64', Float64Array.from(rows.map((r) => r[0] ?? Number.NaN)), [rows.length, 1]),
    city: new ort.Tensor('string', rows.map((r) => r[1] ?? ''), [rows.length, 1]),
  };
  return session.run(feeds);
}

const raw = (model: GbdtLike, x: number[], k: number) => model.baseline[k]! + model.trees.reduce((s, it) => s + walk(it[model.baseline.length === 1 ? 0 : k]!, x), 0);

describe('GBDT → ONNX (real ONNX Runtime)', () => {
  it('regression: prediction equals the in-process walk, including missing and unseen values', async () => {
    const model: GbdtLike = { task: 'regression', classes: null, features, baseline: [100], trees: [[tree(1)], [tree(10)], [stump(0.5)], [emptySet]] };
    const out = await run(model);
    const got = Array.from(out.prediction!.data as Float64Array);
    rows.forEach((r, i) => expect(Math.abs(got[i]! - raw(model, encode(r), 0))).toBeLessThan(1e-5));
    // Unseen 'Oslo' is missing: the city node sends missing right, like a null city.
    expect(got[5]).toBe(got[4]);
  });

  it('binary: probabilities from the logit, labels by class name', async () => {
    const model: GbdtLike = { task: 'classification', classes: ['<=50K', '>50K'], features, baseline: [-0.5], trees: [[tree(0.3)], [tree(-0.1)]] };
    const out = await run(model);
    const p = out.probabilities!.data as Float64Array;
    rows.forEach((r, i) => {
      const p1 = 1 / (1 + Math.exp(-raw(model, encode(r), 0)));
      expect(Math.abs(p[2 * i + 1]! - p1)).toBeLessThan(1e-5);
      expect(Math.abs(p[2 * i]! - (1 - p1))).toBeLessThan(1e-5);
      expect((out.label!.data as string[])[i]).toBe(p1 > 0.5 ? '>50K' : '<=50K');
    });
  });

  it('multiclass: one tree per class per iteration, softmax probabilities', async () => {
    const model: GbdtLike = { task: 'classification', classes: ['a', 'b', 'c'], features, baseline: [0.1, 0.2, -0.3], trees: [[tree(0.2), tree(-0.1), stump(0.05)], [tree(0.1), stump(0), tree(0.3)]] };
    const out = await run(model);
    const p = out.probabilities!.data as Float64Array;
    rows.forEach((r, i) => {
      const z = [0, 1, 2].map((k) => raw(model, encode(r), k));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((x, y) => x + y, 0);
      e.forEach((v, k) => expect(Math.abs(p[3 * i + k]! - v / s)).toBeLessThan(1e-5));
      expect((out.label!.data as string[])[i]).toBe(model.classes![z.indexOf(Math.max(...z))]);
    });
  });
});
