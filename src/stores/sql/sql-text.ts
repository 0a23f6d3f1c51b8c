/**
 * Builds multi-row SQL text once per (dialect, row count) and caches it, so the hot write path
 * skips Kysely's query compilation and SQLite reuses its prepared statement.
 */
export type Dialect = 'sqlite' | 'postgres';

const cache = new Map<string, string>();

/** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)` for `rows` rows of `cols` columns. */
export function valuesList(dialect: Dialect, rows: number, cols: number, offset = 0): string {
  const parts: string[] = [];
  let n = offset;
  for (let r = 0; r < rows; r++) {
    const ph: string[] = [];
    for (let c = 0; c < cols; c++) ph.push(dialect === 'postgres' ? `$${++n}` : '?');
    parts.push(`(${ph.join(', ')})`);
  }
  return parts.join(', ');
}

export function placeholders(dialect: Dialect, count: number, offset = 0): string {
  const ph: string[] = [];
  for (let i = 1; i <= count; i++) ph.push(dialect === 'postgres' ? `$${offset + i}` : '?');
  return ph.join(', ');
}

export function cachedSql(key: string, build: () => string): string {
  let text = cache.get(key);
  if (text === undefined) {
    text = build();
    if (cache.size > 2000) cache.clear();
    cache.set(key, text);
  }
  return text;
}
