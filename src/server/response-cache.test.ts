import { describe, expect, it } from 'vitest';
import { ResponseCache } from './response-cache.js';

describe('ResponseCache', () => {
  it('serves the same bytes while the version holds and recomputes when it changes', async () => {
    const cache = new ResponseCache();
    let computed = 0;
    const compute = async () => Buffer.from(`answer ${++computed}`);
    expect((await cache.getOrCompute('q', 'v1', compute)).toString()).toBe('answer 1');
    expect((await cache.getOrCompute('q', 'v1', compute)).toString()).toBe('answer 1');
    expect((await cache.getOrCompute('other', 'v1', compute)).toString()).toBe('answer 2');
    expect((await cache.getOrCompute('q', 'v2', compute)).toString()).toBe('answer 3');
  });

  it('never caches when the backend cannot tell its version', async () => {
    const cache = new ResponseCache();
    let computed = 0;
    const compute = async () => Buffer.from(String(++computed));
    await cache.getOrCompute('q', null, compute);
    await cache.getOrCompute('q', null, compute);
    expect(computed).toBe(2);
    expect(cache.size.entries).toBe(0);
  });

  it('stays within its byte budget, dropping the least recently used first', async () => {
    const cache = new ResponseCache(400);
    const of = (n: number) => async () => Buffer.alloc(100, n);
    await cache.getOrCompute('a', 'v', of(1));
    await cache.getOrCompute('b', 'v', of(2));
    await cache.getOrCompute('c', 'v', of(3));
    await cache.getOrCompute('a', 'v', of(9)); // touch a: b is now the oldest
    await cache.getOrCompute('d', 'v', of(4));
    await cache.getOrCompute('e', 'v', of(5));
    expect(cache.size.bytes).toBeLessThanOrEqual(400);
    let recomputed = false;
    await cache.getOrCompute('b', 'v', async () => ((recomputed = true), Buffer.alloc(100)));
    expect(recomputed).toBe(true);
    expect((await cache.getOrCompute('a', 'v', of(7)))[0]).toBe(1);
  });
});
