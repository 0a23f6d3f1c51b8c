/**
 * Which variant answers a request, and whether it is mirrored to the shadow. Sticky picks hash the
 * request key (FNV-1a, stable across processes and restarts) onto 0..9999, so a user keeps one
 * variant while the weights stay; moving a weight moves only the users in the slice that changed.
 */
import type { DeploymentSpec, Variant } from './entities.js';

const BUCKETS = 10_000;

export function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % BUCKETS;
}

export interface Pick {
  variant: Variant;
  shadow: boolean;
}

/**
 * `key`: the sticky header's value when the request has one; `random` in [0,1) otherwise. The
 * shadow decision uses its own draw (or the key salted), so shadowed users are not all in one variant.
 */
export function pickVariant(spec: DeploymentSpec, key: string | undefined, random: () => number = Math.random): Pick {
  const point = key !== undefined ? bucketOf(key) : Math.floor(random() * BUCKETS);
  let edge = 0;
  let chosen = spec.variants[spec.variants.length - 1]!;
  for (const v of spec.variants) {
    edge += (v.weight / 100) * BUCKETS;
    if (point < edge) {
      chosen = v;
      break;
    }
  }
  const shadowPoint = key !== undefined ? bucketOf(`shadow:${key}`) : Math.floor(random() * BUCKETS);
  return { variant: chosen, shadow: spec.shadow !== undefined && shadowPoint < (spec.shadow.percent / 100) * BUCKETS };
}
