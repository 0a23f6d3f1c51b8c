/**
 * Writes the inference log behind the responses: records are sampled, buffered and appended in
 * transactions of at most 500 records (every 100 ms, or sooner when 500 are waiting), yielding to
 * the event loop between transactions, so logging costs a request microseconds, not a database
 * commit, and a burst never stalls the requests behind it (the embedded SQLite write is on the
 * event loop: one 2,000-record transaction held answers for tens of milliseconds, bench/serving.js).
 * What a crash can lose is stated, not hidden: at most the last flush interval of sampled records
 * (docs/serving.md). Closing flushes everything.
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

  constructor(private readonly store: Pick<InferenceLogStore, 'append'>, options: WriterOptions = {}) {
    this.o = {
      sampleRate: options.sampleRate ?? 1,
      flushIntervalMs: options.flushIntervalMs ?? 100,
      maxBuffered: options.maxBuffered ?? 500,
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
      while (this.buffer.length > 0) {
        const batch = this.buffer.slice(0, this.o.maxBuffered);
        this.buffer = this.buffer.slice(batch.length);
        try {
          await this.store.append(batch);
        } catch (err) {
          // Keep the records for the next flush (bounded by maxPending) rather than lose them.
          const kept = batch.concat(this.buffer);
          this.dropped += Math.max(0, kept.length - this.o.maxPending);
          this.buffer = kept.slice(0, this.o.maxPending);
          this.o.onError(err);
          if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.o.flushIntervalMs * 5).unref();
          return;
        }
        // Let waiting requests run between transactions.
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
