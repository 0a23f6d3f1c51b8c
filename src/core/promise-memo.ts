/**
 * Reads of things that never change (a run's definition, a served version's manifest), shared: the
 * first caller's read serves every caller after it, including those that ask before it returns (a
 * fan-out's first jobs arrive together). A failed read is forgotten, so the next caller tries again.
 * Past `limit` entries the oldest goes.
 */
export class PromiseMemo<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = load();
      if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, entry);
      entry.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    }
    return entry;
  }
}
