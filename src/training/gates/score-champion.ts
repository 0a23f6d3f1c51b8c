/**
 * The champion (a registry reference) scored through ONNX Runtime on the challenger's held-out rows.
 * No such model or alias yet means no champion: gate rules against it then pass (gate-decision.ts).
 */
import { GyreError } from '../../core/errors.js';
import type { LocalModelsApi } from '../../models/models-api.js';
import type { Frame } from '../dataset/frame.js';
import { truthOf } from '../fitted-model.js';
import { evaluatePredictions } from '../evaluation/evaluate.js';
import type { Evaluation } from '../evaluation/evaluate.js';
import { scorePackage } from './score-package.js';

export interface ChampionScore {
  ref: string;
  version: number;
  evaluation: Evaluation;
  metrics: Record<string, number>;
}

export async function scoreChampion(models: LocalModelsApi, ref: string, test: Frame, target: string, task: 'regression' | 'classification'): Promise<ChampionScore | null> {
  let pkg;
  try {
    pkg = await models.loadPackage(ref);
  } catch (err) {
    // No champion yet (first model, or the alias is unset): champion rules pass, as documented.
    if (err instanceof GyreError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
  const evaluation = evaluatePredictions({ truth: truthOf(test, target, task), predictions: await scorePackage(pkg.onnx, pkg.manifest, test) });
  return { ref, version: pkg.version.version, evaluation, metrics: evaluation.metrics };
}

