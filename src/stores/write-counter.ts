/**
 * Counts writes made through one open database, by every store on it. Read caches key on it (with
 * SQLite's data_version for other connections), so a write by any store — the pipeline store also
 * writes its steps' tracking runs — is never hidden behind a cached read.
 */
export class WriteCounter {
  private count = 0;

  get value(): number {
    return this.count;
  }

  /** Bumped before and after, so a read that overlaps the write is never cached under the later value. */
  async around<T>(write: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await write();
    } finally {
      this.count++;
    }
  }
}
