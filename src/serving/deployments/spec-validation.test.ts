import { describe, expect, it } from 'vitest';
import { checkDeploymentName, checkDeploymentSpec } from './spec-validation.js';
import type { DeploymentSpec } from './entities.js';
import { rejection } from '../../test-support/expect-invalid-argument.js';

const anyRef = () => {};
const check = (spec: unknown) => () => checkDeploymentSpec(spec as DeploymentSpec, anyRef);

describe('deployment spec validation', () => {
  it('accepts the three strategies with a shadow', () => {
    const canary: DeploymentSpec = { strategy: 'canary', variants: [{ name: 'stable', model: 'm@champion', weight: 95 }, { name: 'canary', model: 'm/7', weight: 5 }], shadow: { model: 'm@challenger', percent: 20 } };
    expect(checkDeploymentSpec(canary, anyRef)).toBe(canary);
  });

  it.each([
    [{ strategy: 'blue-green', variants: [] }, /strategy must be/],
    [{ strategy: 'single', variants: [] }, /at least one model/],
    [{ strategy: 'canary', variants: [{ name: 'a', model: 'm/1', weight: 100 }] }, /two variants/],
    [{ strategy: 'ab', variants: [{ name: 'a', model: 'm/1', weight: 60 }, { name: 'b', model: 'm/2', weight: 30 }] }, /sum to 100, they sum to 90/],
    [{ strategy: 'ab', variants: [{ name: 'a', model: 'm/1', weight: 50 }, { name: 'a', model: 'm/2', weight: 50 }] }, /variants\[1\]\.name must be a unique/],
    [{ strategy: 'single', variants: [{ name: 'a', model: 'm/1', weight: 100 }], shadow: { model: 'm/2', percent: 120 } }, /shadow.percent must be a number from 0 to 100/],
    [{ strategy: 'single', variants: [{ name: 'a', model: 'm/1', weight: 100 }], stickyHeader: 'bad header' }, /stickyHeader/],
    [{ strategy: 'single', variants: [{ name: 'a', model: 'm/1', weight: 100 }], batching: { maxBatchRows: 0, maxQueueDelayMs: 1 } }, /maxBatchRows/],
  ])('refuses %j', (spec, message) => {
    expect(rejection(check(spec)).message).toMatch(message);
  });

  it('passes each model reference to the reference checker with its field', () => {
    const seen: string[] = [];
    checkDeploymentSpec({ strategy: 'single', variants: [{ name: 'a', model: 'm/1', weight: 100 }], shadow: { model: 'm/2', percent: 5 } }, (ref, field) => seen.push(`${field}=${ref}`));
    expect(seen).toEqual(['variants[0].model=m/1', 'shadow.model=m/2']);
  });

  it('refuses names that cannot be a URL path segment', () => {
    expect(rejection(() => checkDeploymentName('a/b')).message).toMatch(/not valid/);
    expect(checkDeploymentName('bike-demand.v2')).toBe('bike-demand.v2');
  });
});
