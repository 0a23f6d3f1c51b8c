import { describe, expect, it } from 'vitest';
import { sortFloat64 } from './radix-sort.js';

describe('sortFloat64', () => {
  it('sorts like the built-in sort: negatives, zeros of both signs, infinities, ties, subnormals', () => {
    const special = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1.5, -1.5, 1e308, -1e308, 3, 3, 3];
    const xs = Float64Array.from({ length: 50_000 }, (_, i) => (i < special.length ? special[i]! : (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 12 - 6)));
    const want = Float64Array.from(xs).sort();
    const got = sortFloat64(Float64Array.from(xs));
    expect(Array.from(got).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(want).map((v) => Object.is(v, -0) ? '-0' : v));
  });
});
