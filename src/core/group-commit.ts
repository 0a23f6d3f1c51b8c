/**
 * Group commit: writes submitted while a transaction is in flight wait for it and then go
 * together in the next one, so N concurrent writers cost about one transaction's round trips, not
 * N (each BEGIN, statement and COMMIT is a round trip to PostgreSQL). A lone writer waits for no
 * timer: its batch starts on the next turn of the event loop. Each submitter gets its own result;
 * a batch that fails is retried item by item, so one bad item fails alone.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    /** Writes the items in one transaction; returns one result per item, in order. */
    private readonly writeBatch: (items: I[]) => Promise<O[]>,
    /** Items per transaction at most (bounds statement size and bind parameters). */
    private readonly maxBatch = 100,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // setImmediate, not a microtask: writers woken by the same I/O callbacks join this batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.writeBatch(batch.map((b) => b.item));
          batch.forEach((b, i) => b.resolve(results[i]!));
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          else for (const b of batch) await this.writeBatch([b.item]).then((r) => b.resolve(r[0]!), b.reject);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
