/** Worker-thread side of the trial pool: holds the search's data once, runs trials on request. */
import { parentPort, workerData } from 'node:worker_threads';
import { runTrial } from './trial.js';
import type { TrialData } from './trial.js';
import type { ParamValues } from '../fitted-model.js';

const data = workerData as TrialData;
parentPort!.on('message', (msg: { id: number; params: ParamValues }) => {
  parentPort!.postMessage({ id: msg.id, result: runTrial(data, msg.params) });
});
