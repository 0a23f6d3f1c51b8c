/** Checks a deployment spec so a bad one is refused when made, naming the field. */
import { invalidArgument } from '../../core/errors.js';
import type { DeploymentSpec } from './entities.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

export function checkDeploymentName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalidArgument(`Deployment name ${JSON.stringify(name)} is not valid: use 1-128 letters, digits, '_', '.', '-', starting with a letter or digit (it becomes the OIP model name in URLs).`, {
      field: 'name',
    });
  }
  return name;
}

function checkPercent(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw invalidArgument(`${field} must be a number from 0 to 100, got ${JSON.stringify(value)}.`, { field });
  }
  return value;
}

/** `checkRef` validates a model reference's syntax (the registry's parser). */
export function checkDeploymentSpec(spec: DeploymentSpec, checkRef: (ref: string, field: string) => void): DeploymentSpec {
  const { strategy, variants } = spec;
  if (!['single', 'canary', 'ab'].includes(strategy)) throw invalidArgument(`strategy must be 'single', 'canary' or 'ab', got ${JSON.stringify(strategy)}.`, { field: 'strategy' });
  if (!Array.isArray(variants) || variants.length === 0) throw invalidArgument('variants must list at least one model.', { field: 'variants' });
  const expected = strategy === 'single' ? 1 : strategy === 'canary' ? 2 : undefined;
  if (expected !== undefined && variants.length !== expected) {
    throw invalidArgument(`A ${strategy} deployment has ${expected === 1 ? 'one variant' : 'two variants (stable and canary)'}, got ${variants.length}.`, { field: 'variants' });
  }
  if (strategy === 'ab' && variants.length < 2) throw invalidArgument('An A/B deployment needs at least two variants.', { field: 'variants' });
  const names = new Set<string>();
  variants.forEach((v, i) => {
    if (typeof v.name !== 'string' || v.name === '' || names.has(v.name)) throw invalidArgument(`variants[${i}].name must be a unique non-empty string.`, { field: `variants[${i}].name` });
    names.add(v.name);
    checkRef(v.model, `variants[${i}].model`);
    checkPercent(v.weight, `variants[${i}].weight`);
  });
  const total = variants.reduce((s, v) => s + v.weight, 0);
  if (Math.abs(total - 100) > 1e-9) throw invalidArgument(`Variant weights must sum to 100, they sum to ${total}.`, { field: 'variants' });
  if (spec.shadow !== undefined) {
    checkRef(spec.shadow.model, 'shadow.model');
    checkPercent(spec.shadow.percent, 'shadow.percent');
  }
  if (spec.stickyHeader !== undefined && (typeof spec.stickyHeader !== 'string' || !/^[a-zA-Z0-9-]+$/.test(spec.stickyHeader))) {
    throw invalidArgument(`stickyHeader must be an HTTP header name, got ${JSON.stringify(spec.stickyHeader)}.`, { field: 'stickyHeader' });
  }
  if (spec.logSampleRate !== undefined && !(typeof spec.logSampleRate === 'number' && spec.logSampleRate >= 0 && spec.logSampleRate <= 1)) {
    throw invalidArgument(`logSampleRate must be a number from 0 to 1, got ${JSON.stringify(spec.logSampleRate)}.`, { field: 'logSampleRate' });
  }
  if (spec.batching !== undefined) {
    const { maxBatchRows, maxQueueDelayMs } = spec.batching;
    if (!Number.isInteger(maxBatchRows) || maxBatchRows < 1 || maxBatchRows > 100_000) throw invalidArgument('batching.maxBatchRows must be an integer from 1 to 100000.', { field: 'batching.maxBatchRows' });
    if (typeof maxQueueDelayMs !== 'number' || maxQueueDelayMs < 0 || maxQueueDelayMs > 1000) throw invalidArgument('batching.maxQueueDelayMs must be from 0 to 1000.', { field: 'batching.maxQueueDelayMs' });
  }
  return spec;
}
