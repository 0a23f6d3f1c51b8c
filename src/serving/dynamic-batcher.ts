/**
 * Adaptive batching (BentoML's idea, without its fixed wait): while the model is running one batch,
 * requests that arrive queue up; when it finishes, everything queued runs as the next batch. An idle
 * model starts a batch once the event loop has read this turn's other requests (setImmediate, no
 * timer), so batching adds no latency at low load and multiplies throughput at high load (one ORT
 * call per batch instead of per request).
 *
 * Requests are merged along the first dimension, so only models whose inputs and outputs all have
 * a free first (batch) dimension are batched; requests with different trailing dims or output
 * lists run in separate batches.
 */
import ort from 'onnxruntime-node';
import type { TensorMetadata } from './oip/protocol.js';

type Feeds = Record<string, ort.Tensor>;
type Results = Record<string, ort.Tensor>;
export type RunFn = (feeds: Feeds, outputNames: string[]) => Promise<Results>;

interface Pending {
  feeds: Feeds;
  outputNames: string[];
  rows: number;
  key: string;
  resolve(r: Results): void;
  reject(e: unknown): void;
}

export interface BatcherOptions {
  /** Rows per ORT call at most (default 256). */
  maxBatchRows?: number;
  /**
   * How long an idle model waits for company before running a request (default 0: at once).
   * A few milliseconds buy bigger batches under moderate load at that cost in latency.
   */
  maxQueueDelayMs?: number;
}

export interface BatcherStats {
  requests: number;
  batches: number;
}

/** True when every input and output has a free first dimension, so rows can be stacked. */
export function canBatch(inputs: readonly TensorMetadata[], outputs: readonly TensorMetadata[]): boolean {
  return [...inputs, ...outputs].every((t) => t.shape.length >= 1 && t.shape[0] === -1);
}

export class DynamicBatcher {
  private queue: Pending[] = [];
  private busy = false;
  readonly stats: BatcherStats = { requests: 0, batches: 0 };
  private readonly maxRows: number;
  private readonly delayMs: number;
  private delayTimer: NodeJS.Timeout | null = null;
  private queuedRows = 0;
  private drainScheduled = false;

  constructor(private readonly run: RunFn, options: BatcherOptions = {}) {
    this.maxRows = options.maxBatchRows ?? 256;
    this.delayMs = options.maxQueueDelayMs ?? 0;
  }

  submit(feeds: Feeds, outputNames: string[]): Promise<Results> {
    const first = Object.values(feeds)[0];
    const rows = first?.dims[0] ?? 1;
    const key = batchKey(feeds, outputNames);
    this.stats.requests++;
    return new Promise<Results>((resolve, reject) => {
      this.queue.push({ feeds, outputNames, rows, key, resolve, reject });
      this.queuedRows += rows;
      if (this.busy || this.drainScheduled) return;
      if (this.queuedRows >= this.maxRows) void this.drain();
      else if (this.delayMs === 0) {
        // After this turn's other I/O callbacks: requests read in the same poll phase make one
        // batch, instead of the first of them running alone and the rest behind it.
        this.drainScheduled = true;
        setImmediate(() => void this.drain());
      } else if (!this.delayTimer) this.delayTimer = setTimeout(() => void this.drain(), this.delayMs);
    });
  }

  private async drain(): Promise<void> {
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.delayTimer = null;
    this.drainScheduled = false;
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length) {
        const batch = this.takeBatch();
        this.stats.batches++;
        try {
          if (batch.length === 1) batch[0]!.resolve(await this.run(batch[0]!.feeds, batch[0]!.outputNames));
          else await this.runMerged(batch);
        } catch (err) {
          // One bad request must not fail its neighbours: rerun a failed merged batch one by one.
          if (batch.length === 1) batch[0]!.reject(err);
          else for (const p of batch) await this.run(p.feeds, p.outputNames).then(p.resolve, p.reject);
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** The oldest request and every queued request compatible with it, up to maxRows. */
  private takeBatch(): Pending[] {
    const head = this.queue.shift()!;
    const batch = [head];
    let rows = head.rows;
    const rest: Pending[] = [];
    for (const p of this.queue) {
      if (p.key === head.key && rows + p.rows <= this.maxRows) {
        batch.push(p);
        rows += p.rows;
      } else rest.push(p);
    }
    this.queue = rest;
    this.queuedRows -= rows;
    return batch;
  }

  private async runMerged(batch: Pending[]): Promise<void> {
    const names = Object.keys(batch[0]!.feeds);
    const merged: Feeds = {};
    for (const name of names) merged[name] = concatRows(batch.map((p) => p.feeds[name]!));
    const results = await this.run(merged, batch[0]!.outputNames);
    let offset = 0;
    for (const p of batch) {
      const mine: Results = {};
      for (const [name, t] of Object.entries(results)) mine[name] = sliceRows(t, offset, p.rows);
      offset += p.rows;
      p.resolve(mine);
    }
  }
}

/** Requests merge only with the same outputs asked and the same input names, types and trailing dims. */
function batchKey(feeds: Feeds, outputNames: string[]): string {
  const names = Object.keys(feeds);
  // Most models have one input: no sort, no intermediate arrays (this runs per request).
  if (names.length > 1) names.sort();
  let key = outputNames.length === 1 ? outputNames[0]! : outputNames.join(',');
  for (const n of names) {
    const t = feeds[n]!;
    key += `|${n}:${t.type}:`;
    for (let d = 1; d < t.dims.length; d++) key += `${t.dims[d]}x`;
  }
  return key;
}

function concatRows(tensors: ort.Tensor[]): ort.Tensor {
  const first = tensors[0]!;
  const rows = tensors.reduce((n, t) => n + t.dims[0]!, 0);
  const dims = [rows, ...first.dims.slice(1)];
  if (first.type === 'string') return new ort.Tensor('string', tensors.flatMap((t) => t.data as string[]), dims);
  type Typed = { length: number; set(a: ArrayLike<unknown>, o: number): void };
  const Ctor = (first.data as unknown as { constructor: new (n: number) => Typed }).constructor;
  const out = new Ctor(tensors.reduce((n, t) => n + (t.data as ArrayLike<unknown>).length, 0));
  let offset = 0;
  for (const t of tensors) {
    out.set(t.data as ArrayLike<unknown>, offset);
    offset += (t.data as ArrayLike<unknown>).length;
  }
  return new ort.Tensor(first.type, out as never, dims);
}

function sliceRows(t: ort.Tensor, startRow: number, rows: number): ort.Tensor {
  const rowSize = t.dims.slice(1).reduce((a, b) => a * b, 1);
  const data = t.data as unknown as { slice(a: number, b: number): unknown };
  return new ort.Tensor(t.type, data.slice(startRow * rowSize, (startRow + rows) * rowSize) as never, [rows, ...t.dims.slice(1)]);
}
