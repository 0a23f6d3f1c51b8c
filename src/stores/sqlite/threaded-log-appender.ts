/**
 * Appends inference-log records from a worker thread with its own SQLite connection (WAL lets the
 * two connections share the file; they are on different threads, so a writer waiting for the other
 * never blocks the thread it waits for — unlike two connections on one event loop, docs/decisions.md).
 * Measured: the log's inserts were ~18 % of the serving process's busy CPU (bench/serving.js
 * profile). The main thread only hands the records' values over.
 */
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../../core/compiled-worker.js';
import type { InferenceRecord } from '../../serving/inference-log/entities.js';
import { flatRecordValues } from '../sql/inference-log-segments.js';

export class ThreadedLogAppender {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(file: string) {
    this.worker = new Worker(compiledWorker(import.meta.url, 'inference-log-append-worker.js'), { workerData: { file } });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.error) p?.reject(new Error(`inference log append failed: ${m.error}`));
      else p?.resolve();
    });
    this.worker.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker.unref();
    });
  }

  append(records: InferenceRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const id = this.nextId++;
    // Referenced while a batch is in flight: a process that is closing must wait for its records.
    this.worker.ref();
    // Flat values, not the records, and the segments built by the worker: see flatRecordValues.
    const values = flatRecordValues(records);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, values });
    });
  }

  async close(): Promise<void> {
    this.worker.ref();
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage({ close: true });
    await exited;
  }
}
