/**
 * Writes the inference log behind the responses: records are sampled, buffered and appended in one
 * transaction per flush (every 200 ms or 1000 records), so logging costs a request microseconds,
 * not a database commit. What a crash can lose is stated, not hidden: at most the last flush
 * interval of sampled records (docs/serving.md). Closing flushes everything.
 */
import type { InferenceRecord } from './entities.js';
import type { InferenceLogStore } from './inference-log-store.js';

export interface WriterOptions {
  /** Share of primary records kept, 0..1 (default 1). Shadow records are always kept: they exist to be compared. */
  sampleRate?: number;
  flushIntervalMs?: number;
  maxBuffered?: number;
  /** Beyond this many buffered records (the store is down), new records are dropped and counted. */
  maxPending?: number;
  random?: () => number;
  onError?: (err: unknown) => void;
}

export class InferenceLogWriter {
  private buffer: InferenceRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Records dropped because the store could not keep up; exported as a metric. */
  dropped = 0;
  private readonly o: Required<WriterOptions>;

  constructor(private readonly store: InferenceLogStore, options: WriterOptions = {}) {
    this.o = {
      sampleRate: options.sampleRate ?? 1,
      flushIntervalMs: options.flushIntervalMs ?? 200,
      maxBuffered: options.maxBuffered ?? 1000,
      maxPending: options.maxPending ?? 100_000,
      random: options.random ?? Math.random,
      onError: options.onError ?? (() => {}),
    };
  }

  log(record: InferenceRecord): void {
    if (record.variant === 'primary' && this.o.sampleRate < 1 && this.o.random() >= this.o.sampleRate) return;
    if (this.buffer.length >= this.o.maxPending) {
      this.dropped++;
      return;
    }
    this.buffer.push(record);
    if (this.buffer.length >= this.o.maxBuffered) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.o.flushIntervalMs).unref();
  }

  /** Appends what is buffered; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flushing = this.flushing.then(async () => {
      const batch = this.buffer;
      if (batch.length === 0) return;
      this.buffer = [];
      try {
        await this.store.append(batch);
      } catch (err) {
        // Keep the records for the next flush (bounded by maxPending) rather than lose them.
        const kept = batch.concat(this.buffer);
        this.dropped += Math.max(0, kept.length - this.o.maxPending);
        this.buffer = kept.slice(0, this.o.maxPending);
        this.o.onError(err);
        if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.o.flushIntervalMs * 5).unref();
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
