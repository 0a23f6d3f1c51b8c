/**
 * One search trial: fit with the proposed parameters on the search's training part, score on its
 * validation part (never on the test set, which stays untouched for the final evaluation). Runs in
 * a worker thread or in process; either way it is a pure function of its inputs.
 */
import { threadId } from 'node:worker_threads';
import type { Frame } from '../dataset/frame.js';
import type { FeatureSelection } from '../features.js';
import { fitModel, truthOf } from '../fitted-model.js';
import type { ModelKind, ParamValues } from '../fitted-model.js';
import { evaluatePredictions } from '../evaluation/evaluate.js';

export interface TrialData {
  kind: ModelKind;
  target: string;
  selection: FeatureSelection;
  train: Frame;
  valid: Frame;
  metric: string;
}

export interface TrialResult {
  /** The objective metric on the validation rows (NaN when the trial failed or lacks the metric). */
  value: number;
  metrics: Record<string, number>;
  fitSeconds: number;
  iterations: number;
  error?: string;
  /** The worker thread that ran it (0: the main thread). */
  thread: number;
}

export function runTrial(data: TrialData, params: ParamValues): TrialResult {
  const started = performance.now();
  try {
    const model = fitModel(data.kind, data.train, data.target, data.selection, params);
    const fitSeconds = (performance.now() - started) / 1000;
    const evaluation = evaluatePredictions({ truth: truthOf(data.valid, data.target, model.task), predictions: model.predict(data.valid) });
    const metrics = Object.fromEntries(Object.entries(evaluation.metrics).filter(([k]) => !k.includes('/')));
    return { value: metrics[data.metric] ?? Number.NaN, metrics, fitSeconds, iterations: model.iterations, thread: threadId };
  } catch (err) {
    return { value: Number.NaN, metrics: {}, fitSeconds: (performance.now() - started) / 1000, iterations: 0, error: (err as Error).message, thread: threadId };
  }
}
