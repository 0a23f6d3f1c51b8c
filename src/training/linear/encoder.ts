import type { FeatureInfo } from '../features.js';

/**
 * The preprocessing a linear model carries (and its ONNX graph will replay):
 * - numeric: missing → training mean, then standardized `(x - mean) / scale`; a 0/1 missing
 *   indicator column is added when the training data had missing values in that feature (the fact
 *   of being missing often predicts; mean imputation alone would hide it).
 * - categorical: one-hot over the training vocabulary, unscaled; missing and unseen categories
 *   encode as all zeros (the intercept's baseline).
 */
export type LinearInput =
  | { readonly kind: 'numeric'; readonly mean: number; readonly scale: number; readonly missingIndicator: boolean }
  | { readonly kind: 'categorical'; readonly nCategories: number };

export function learnEncoding(features: readonly FeatureInfo[], cols: readonly Float64Array[], rows: number): { inputs: LinearInput[]; width: number; names: string[] } {
  const names: string[] = [];
  const inputs = features.map((f, j): LinearInput => {
    if (f.kind === 'categorical') {
      for (const c of f.categories) names.push(`${f.name}=${c}`);
      return { kind: 'categorical', nCategories: f.categories.length };
    }
    const x = cols[j];
    let s = 0;
    let n = 0;
    for (let i = 0; i < rows; i++) if (!Number.isNaN(x[i])) {
      s += x[i];
      n++;
    }
    const mean = n ? s / n : 0;
    let v = 0;
    for (let i = 0; i < rows; i++) if (!Number.isNaN(x[i])) v += (x[i] - mean) ** 2;
    const sd = n ? Math.sqrt(v / n) : 0;
    names.push(f.name);
    const missingIndicator = n < rows;
    if (missingIndicator) names.push(`${f.name}__missing`);
    // A constant column keeps scale 1 (scikit-learn's StandardScaler does the same).
    return { kind: 'numeric', mean, scale: sd > 0 ? sd : 1, missingIndicator };
  });
  return { inputs, width: names.length, names };
}

/** Design matrix, n × width row-major. */
export function encodeDesign(inputs: readonly LinearInput[], cols: readonly Float64Array[], n: number, width: number): Float64Array {
  const X = new Float64Array(n * width);
  let c = 0;
  inputs.forEach((inp, j) => {
    const x = cols[j];
    if (inp.kind === 'categorical') {
      for (let i = 0; i < n; i++) if (!Number.isNaN(x[i])) X[i * width + c + x[i]] = 1;
      c += inp.nCategories;
      return;
    }
    for (let i = 0; i < n; i++) {
      const missing = Number.isNaN(x[i]);
      X[i * width + c] = missing ? 0 : (x[i] - inp.mean) / inp.scale;
      if (inp.missingIndicator) X[i * width + c + 1] = missing ? 1 : 0;
    }
    c += inp.missingIndicator ? 2 : 1;
  });
  return X;
}
