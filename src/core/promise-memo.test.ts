import { describe, expect, it } from 'vitest';
import { PromiseMemo } from './promise-memo.js';

describe('PromiseMemo', () => {
  it('reads once for callers that ask while the read is in flight and after it', async () => {
    const memo = new PromiseMemo<number>();
    let reads = 0;
    const load = async () => ++reads;
    const [a, b] = await Promise.all([memo.get('k', load), memo.get('k', load)]);
    expect([a, b, await memo.get('k', load), reads]).toEqual([1, 1, 1, 1]);
  });

  it('forgets a failed read, so the next caller reads again', async () => {
    const memo = new PromiseMemo<string>();
    await expect(memo.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(memo.get('k', async () => 'up')).resolves.toBe('up');
  });

  it('drops the oldest entry past its limit', async () => {
    const memo = new PromiseMemo<string>(2);
    await memo.get('a', async () => 'a1');
    await memo.get('b', async () => 'b1');
    await memo.get('c', async () => 'c1');
    expect([await memo.get('a', async () => 'a2'), await memo.get('c', async () => 'c2')]).toEqual(['a2', 'c1']);
  });
});
