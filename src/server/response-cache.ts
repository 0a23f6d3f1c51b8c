/**
 * Serialised responses of heavy reads (run searches, long metric histories), kept while the
 * store's data version is unchanged. Dashboards and MLflow's UI poll the same searches over and
 * over; between writes the answer cannot change, so it is sent again as the same bytes. Any write
 * changes the version and with it every key, so a cached answer is never older than the store.
 * Backends that cannot tell (version null) are never cached. Bounded by bytes, least recently used
 * first out.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  async getOrCompute(key: string, version: string | null, compute: () => Promise<Buffer>): Promise<Buffer> {
    if (version === null) return compute();
    const fullKey = `${version}\u0000${key}`;
    const hit = this.entries.get(fullKey);
    if (hit) {
      this.entries.delete(fullKey); // re-insert: Map order is the recency order
      this.entries.set(fullKey, hit);
      return hit;
    }
    const value = await compute();
    if (value.length <= this.maxBytes / 4) {
      this.entries.set(fullKey, value);
      this.bytes += value.length;
      for (const [k, v] of this.entries) {
        if (this.bytes <= this.maxBytes) break;
        this.entries.delete(k);
        this.bytes -= v.length;
      }
    }
    return value;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}
