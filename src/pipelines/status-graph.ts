/** The status graph the CLI prints: each step under what it needs, marked by how it ended. */
import type { PipelineDefinition, StepState, StepStatus } from './entities.js';

export const STATUS_MARK: Record<StepStatus, string> = {
  pending: '·',
  queued: '…',
  running: '▶',
  succeeded: '✓',
  cached: '≡',
  failed: '✗',
  skipped: '↷',
  cancelled: '⊘',
};

export function renderStatusGraph(definition: PipelineDefinition, states: StepState[]): string {
  const byName = new Map(states.map((s) => [s.step, s]));
  const depth = new Map<string, number>();
  for (const s of definition.steps) depth.set(s.name, s.needs.length ? Math.max(...s.needs.map((n) => depth.get(n) ?? 0)) + 1 : 0);
  const lines = definition.steps.map((s) => {
    const state = byName.get(s.name);
    const status = state?.status ?? 'pending';
    const needs = s.needs.length ? `  ← ${s.needs.length > 4 ? `${s.needs.slice(0, 3).join(', ')} +${s.needs.length - 3}` : s.needs.join(', ')}` : '';
    return `${'  '.repeat(depth.get(s.name) ?? 0)}${STATUS_MARK[status]} ${s.name} [${status}]${needs}`;
  });
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const legend = [...counts].map(([k, v]) => `${v} ${k}`).join(', ');
  return `${lines.join('\n')}\n(${legend})`;
}
