import { describe, expect, it } from 'vitest';
import { bucketOf, pickVariant } from './traffic.js';
import type { DeploymentSpec } from './entities.js';

const ab: DeploymentSpec = {
  strategy: 'ab',
  variants: [
    { name: 'a', model: 'm/1', weight: 70 },
    { name: 'b', model: 'm/2', weight: 30 },
  ],
  shadow: { model: 'm/3', percent: 10 },
};

describe('traffic', () => {
  it('splits random traffic by weight and mirrors the shadow share', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const counts = { a: 0, b: 0, shadow: 0 };
    for (let i = 0; i < 20_000; i++) {
      const p = pickVariant(ab, undefined, random);
      counts[p.variant.name as 'a' | 'b']++;
      if (p.shadow) counts.shadow++;
    }
    expect(counts.a / 20_000).toBeCloseTo(0.7, 1);
    expect(counts.shadow / 20_000).toBeCloseTo(0.1, 1);
  });

  it('keeps a user on one variant, spreads users by weight, and moves only the changed slice when weights move', () => {
    const users = Array.from({ length: 5000 }, (_, i) => `user-${i}`);
    const first = users.map((u) => pickVariant(ab, u).variant.name);
    expect(users.map((u) => pickVariant(ab, u).variant.name)).toEqual(first);
    expect(first.filter((v) => v === 'a').length / users.length).toBeCloseTo(0.7, 1);
    const moved: DeploymentSpec = { ...ab, variants: [{ ...ab.variants[0]!, weight: 60 }, { ...ab.variants[1]!, weight: 40 }] };
    const after = users.map((u) => pickVariant(moved, u).variant.name);
    // Only a→b moves happen (the 60..70 slice), never b→a.
    expect(after.some((v, i) => first[i] === 'b' && v === 'a')).toBe(false);
    expect(after.filter((v, i) => first[i] === 'a' && v === 'b').length / users.length).toBeCloseTo(0.1, 1);
  });

  it('hashes keys stably (FNV-1a) across processes', () => {
    expect(bucketOf('')).toBe(0x811c9dc5 % 10_000);
    expect(bucketOf('user-42')).toBe(bucketOf('user-42'));
  });
});
