/** Loads TypeScript (compiled) pipelines from their module: how workers and the CLI find step functions. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalidArgument } from '../core/errors.js';
import type { Pipeline } from './define-pipeline.js';

const isPipeline = (v: unknown): v is Pipeline => typeof v === 'object' && v !== null && 'definition' in v && 'functions' in v;

/** Every pipeline a module exports. */
export async function pipelinesOfModule(module: string): Promise<Pipeline[]> {
  const url = /^[a-z]+:/.test(module) ? module : pathToFileURL(path.resolve(module)).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw invalidArgument(`Cannot load pipeline module ${module}: ${(err as Error).message}`, { module });
  }
  return Object.values(mod).filter(isPipeline);
}

export async function loadModulePipeline(module: string, name?: string): Promise<Pipeline> {
  const all = await pipelinesOfModule(module);
  const found = name ? all.find((p) => p.definition.name === name) : all[0];
  if (!found) {
    throw invalidArgument(`${module} exports no pipeline${name ? ` named '${name}'` : ''}. Export the result of definePipeline(...)${all.length ? `; it exports: ${all.map((p) => p.definition.name).join(', ')}` : ''}.`, { module, name: name ?? null });
  }
  return found;
}
