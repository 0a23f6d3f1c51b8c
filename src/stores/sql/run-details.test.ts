import { describe, expect, it } from 'vitest';
import { compareKeys, parseEntries } from './run-details.js';

describe('run details', () => {
  it('orders keys as SQLite BINARY does: by UTF-8 bytes, which is code point order', () => {
    const alphabet = ['a', 'B', '_', '.', 'é', '\uE000', '\uFFFD', '\u{1F600}', '\u{10000}', '\uD7FF'];
    let seed = 1;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const word = () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let i = 0; i < 2000; i++) {
      const a = word();
      const b = word();
      expect(Math.sign(compareKeys(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
    }
  });

  it('sorts a list the database handed over in another order', () => {
    expect(parseEntries<[string, string]>('[["b","1"],["a","2"],["\u{1F600}","3"],["\uFFFD","4"]]')).toEqual([
      ['a', '2'],
      ['b', '1'],
      ['\uFFFD', '4'],
      ['\u{1F600}', '3'],
    ]);
    expect(parseEntries(null)).toEqual([]);
  });
});
