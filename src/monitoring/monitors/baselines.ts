/**
 * The evaluation baseline a performance rule compares against: the model manifest's metric of that
 * name, else `test_<name>`, else `val_<name>` (how trainers commonly record held-out metrics).
 */
import type { GyreModelManifest } from '../../models/manifest.js';
import { PERFORMANCE_METRICS } from './entities.js';

export function baselinesOf(manifest: GyreModelManifest | null): Record<string, number> {
  const out: Record<string, number> = {};
  if (!manifest) return out;
  for (const m of PERFORMANCE_METRICS) {
    const v = manifest.metrics[m] ?? manifest.metrics[`test_${m}`] ?? manifest.metrics[`val_${m}`];
    if (typeof v === 'number') out[m] = v;
  }
  return out;
}
