/** Worker-thread side of fitOffThread: fits one model and hands back its data (or the error). */
import { parentPort, workerData } from 'node:worker_threads';
import { fitRaw } from './fitted-model.js';
import { GyreError } from '../core/errors.js';

const job = workerData as Parameters<typeof fitRaw>;
try {
  parentPort!.postMessage({ model: fitRaw(...job) });
} catch (err) {
  const e = err as Error;
  parentPort!.postMessage({ error: { code: e instanceof GyreError ? e.code : 'INTERNAL', message: e.message, details: e instanceof GyreError ? e.details : {} } });
}
