/**
 * The trainers' core (issue 5): typed frames, gradient-boosted trees, ridge / logistic regression,
 * and the metrics their tests need. Guide: docs/training.md.
 */
export { createFrame, getColumn, selectRows, asCategorical } from './dataset/frame.js';
export type { Frame, Column, NumericColumn, CategoricalColumn } from './dataset/frame.js';
export { parseCsv } from './dataset/csv.js';
export type { CsvOptions } from './dataset/csv.js';
export type { FeatureInfo, FeatureSelection } from './features.js';
export { Rng, randomSplit } from './random.js';
export { fitGbdt } from './gbdt/fit.js';
export type { GbdtFitOptions } from './gbdt/fit.js';
export { GBDT_PARAM_RULES } from './gbdt/params.js';
export type { GbdtParams } from './gbdt/params.js';
export type { GbdtModel, GbdtTree } from './gbdt/model.js';
export { predictRaw, predictValues, predictProba, predictClasses } from './gbdt/predict.js';
export { accuracy, rocAuc, logLoss, rmse, r2 } from './evaluation/metrics.js';
export { fitLinear, LINEAR_PARAM_RULES } from './linear/fit.js';
export type { LinearFitOptions, LinearParams } from './linear/fit.js';
export type { LinearModel } from './linear/model.js';
export type { LinearInput } from './linear/encoder.js';
export { predictLinearRaw, predictLinearValues, predictLinearProba, predictLinearClasses } from './linear/predict.js';
export { loadAdult, loadBikeSharing, BIKE_FEATURES } from './dataset/examples.js';
