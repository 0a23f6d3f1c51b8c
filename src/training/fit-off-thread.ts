/**
 * Fits on a worker thread, so a process that also serves requests (`gyre server` running continuous
 * training) keeps answering while a model trains. The model comes back as plain data and is
 * wrapped for prediction and export here; errors come back as the same GyreError.
 */
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../core/compiled-worker.js';
import { GyreError } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';
import type { Frame } from './dataset/frame.js';
import type { FeatureSelection } from './features.js';
import { wrapModel } from './fitted-model.js';
import type { FittedModel, ModelKind, ParamValues, RawModel } from './fitted-model.js';

export function fitOffThread(kind: ModelKind, train: Frame, target: string, selection: FeatureSelection, params: ParamValues): Promise<FittedModel> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(compiledWorker(import.meta.url, 'fit-worker.js'), { workerData: [kind, train, target, selection, params] });
    worker.once('message', (m: { model?: RawModel; error?: { code: ErrorCode; message: string; details: Record<string, unknown> } }) => {
      void worker.terminate();
      if (m.error) reject(new GyreError(m.error.code, m.error.message, m.error.details));
      else resolve(wrapModel(m.model!));
    });
    worker.once('error', reject);
  });
}
