/**
 * Model references, accepted everywhere a model is named (CLI, SDK, REST, deployments):
 * `NAME@ALIAS`, `NAME/VERSION`, and MLflow's `models:/NAME/VERSION`, `models:/NAME@ALIAS`,
 * `models:/NAME/STAGE` (the newest version in that stage) and `NAME/latest` (the newest version).
 */
import { invalidArgument } from '../core/errors.js';
import { STAGES } from './entities.js';
import type { Stage } from './entities.js';

export type ModelRef =
  | { name: string; kind: 'version'; version: number }
  | { name: string; kind: 'alias'; alias: string }
  | { name: string; kind: 'stage'; stage: Stage }
  | { name: string; kind: 'latest' };

const EXAMPLES = "'bike-demand@champion', 'bike-demand/3', 'models:/bike-demand/3' or 'models:/bike-demand@champion'";

export function parseModelRef(text: string): ModelRef {
  const bad = (why: string) => invalidArgument(`Model reference '${text}' ${why}. Use ${EXAMPLES}.`, { ref: text });
  if (typeof text !== 'string' || text.trim() === '') throw bad('is empty');
  const body = text.startsWith('models:/') ? text.slice('models:/'.length) : text;
  const at = body.lastIndexOf('@');
  if (at >= 0) {
    const name = body.slice(0, at);
    const alias = body.slice(at + 1);
    if (!name || !alias || name.includes('/')) throw bad('is not NAME@ALIAS');
    return { name, kind: 'alias', alias };
  }
  const slash = body.lastIndexOf('/');
  if (slash <= 0 || slash === body.length - 1) throw bad('names no version or alias');
  const name = body.slice(0, slash);
  const tail = body.slice(slash + 1);
  if (/^\d+$/.test(tail) && Number(tail) >= 1) return { name, kind: 'version', version: Number(tail) };
  if (tail.toLowerCase() === 'latest') return { name, kind: 'latest' };
  const stage = STAGES.find((s) => s.toLowerCase() === tail.toLowerCase());
  if (stage) return { name, kind: 'stage', stage };
  throw bad(`has '${tail}' where a version number, 'latest' or a stage belongs`);
}

export function formatModelRef(ref: ModelRef): string {
  switch (ref.kind) {
    case 'version':
      return `${ref.name}/${ref.version}`;
    case 'alias':
      return `${ref.name}@${ref.alias}`;
    case 'stage':
      return `${ref.name}/${ref.stage}`;
    case 'latest':
      return `${ref.name}/latest`;
  }
}
