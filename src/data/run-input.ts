/**
 * A dataset version as a tracking run input (MLflow's log-inputs). MLflow caps a run input's digest
 * at 36 characters, so it carries the first 32 hex digits of the content digest (128 bits, and
 * `NAME@<those digits>` addresses the version); the source is `NAME@N` and the full digest is in
 * the profile, so `gyre data show <source>` finds the exact data.
 */
import type { DatasetInput } from '../tracking/entities.js';
import { TAG_DATASET_CONTEXT } from '../tracking/entities.js';
import type { DatasetVersion } from './entities.js';

export const GYRE_DATASET_SOURCE_TYPE = 'gyre-dataset';

export function datasetVersionInput(v: DatasetVersion, context = 'training'): DatasetInput {
  return {
    dataset: {
      name: v.name,
      digest: v.digest.slice(7, 39),
      sourceType: GYRE_DATASET_SOURCE_TYPE,
      source: `${v.name}@${v.version}`,
      schema: JSON.stringify({ columns: v.schema }),
      profile: JSON.stringify({ digest: v.digest, rowCount: v.rowCount, duplicateRows: v.profile.duplicateRows }),
    },
    tags: [{ key: TAG_DATASET_CONTEXT, value: context }],
  };
}
