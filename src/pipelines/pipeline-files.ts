/** A pipeline from a file: YAML (Gyre's or dvc.yaml) or a JavaScript module exporting definePipeline(...). */
import { invalidArgument } from '../core/errors.js';
import type { PipelineDefinition } from './entities.js';
import type { Pipeline } from './define-pipeline.js';
import { loadYamlPipeline } from './yaml-pipeline.js';
import { loadModulePipeline } from './module-pipelines.js';

export async function loadPipelineFile(file: string, name?: string): Promise<Pipeline | { definition: PipelineDefinition; functions: ReadonlyMap<string, never> }> {
  if (/\.ya?ml$/i.test(file)) return { definition: loadYamlPipeline(file), functions: new Map() };
  if (/\.(m?js|cjs)$/i.test(file)) return loadModulePipeline(file, name);
  throw invalidArgument(`Cannot tell what kind of pipeline ${file} is. Use a .yaml/.yml file (steps: or dvc.yaml stages:) or a .js/.mjs module exporting definePipeline(...).`, { file });
}
