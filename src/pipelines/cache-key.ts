/**
 * A step's cache key: the digest of what it runs (function source or command), its params, its
 * fan-out item and its inputs' digests. Same key → same outputs, so the step can be skipped.
 */
import path from 'node:path';
import { GyreError } from '../core/errors.js';
import type { OutputArtifact, PipelineDefinition, StepDefinition } from './entities.js';
import { digestOf, digestOfPath } from './digests.js';

export interface CacheKeyed {
  cacheKey: string;
  /** Lineage: input name (or dep path) → digests it had. */
  inputDigests: Record<string, string[]>;
}

export function cacheKeyOf(definition: PipelineDefinition, step: StepDefinition, inputs: Record<string, OutputArtifact[]>): CacheKeyed {
  const inputDigests: Record<string, string[]> = {};
  for (const [name, outs] of Object.entries(inputs)) inputDigests[name] = outs.map((o) => o.digest);
  if (step.kind.type === 'shell') {
    // Deps no step produces are files in the workspace: hashed now, as DVC does.
    for (const dep of step.kind.deps) {
      if (dep in inputDigests) continue;
      const digest = digestOfPath(path.resolve(definition.root ?? '.', dep));
      if (digest === null) throw new GyreError('INVALID_STATE', `Step '${step.name}' depends on '${dep}', which does not exist and no step produces. Create it or fix deps.`, { step: step.name, dep });
      inputDigests[dep] = [digest];
    }
  }
  const cacheKey = digestOf({ code: step.codeDigest, params: step.params, item: step.item, inputs: inputDigests, outputs: step.outputs });
  return { cacheKey, inputDigests };
}
