/**
 * Runs trials on worker threads so a search uses every core (training is CPU-bound JavaScript; one
 * event loop would use one core). Each worker receives the data once at start; a trial message
 * carries only its parameters. With one thread, trials run in process (no copy, easier to debug).
 */
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../../core/compiled-worker.js';
import type { ParamValues } from '../fitted-model.js';
import { runTrial } from './trial.js';
import type { TrialData, TrialResult } from './trial.js';

export class TrialPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, { resolve: (r: TrialResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(private readonly data: TrialData, readonly threads: number) {
    if (threads <= 1) return;
    for (let i = 0; i < threads; i++) {
      const w = new Worker(compiledWorker(import.meta.url, 'trial-worker.js'), { workerData: data });
      w.on('message', (m: { id: number; result: TrialResult }) => {
        this.pending.get(m.id)?.resolve(m.result);
        this.pending.delete(m.id);
        this.release(w);
      });
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /**
   * Runs one trial on the next idle worker. `shouldStart` is asked once a worker is free (e.g. a
   * time budget): when it says no, nothing runs and the result is null.
   */
  async run(params: ParamValues, shouldStart: () => boolean = () => true): Promise<TrialResult | null> {
    if (this.workers.length === 0) return shouldStart() ? runTrial(this.data, params) : null;
    const worker = await this.acquire();
    if (!shouldStart()) {
      this.release(worker);
      return null;
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, params });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    return new Promise((resolve) => this.waiting.push(() => resolve(this.idle.pop()!)));
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.waiting.shift()?.();
  }
}
