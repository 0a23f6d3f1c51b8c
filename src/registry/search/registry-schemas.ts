/** What registry searches can filter and order by: MLflow's vocabulary, plus numeric timestamps. */
import type { EntitySchema } from './entity-search.js';
import { compareStrings } from './entity-search.js';
import type { ModelVersion, RegisteredModel } from '../entities.js';

export const MODEL_SEARCH: EntitySchema<RegisteredModel> = {
  scope: 'registered-models',
  strings: { name: (m) => m.name, description: (m) => m.description },
  numbers: { creation_timestamp: (m) => m.creationTimestamp, last_updated_timestamp: (m) => m.lastUpdatedTimestamp },
  tags: (m) => m.tags,
  order: {
    name: (a, b) => compareStrings(a.name, b.name),
    creation_timestamp: (a, b) => a.creationTimestamp - b.creationTimestamp,
    last_updated_timestamp: (a, b) => a.lastUpdatedTimestamp - b.lastUpdatedTimestamp,
  },
  defaultOrder: [{ key: 'name', ascending: true }],
  tiebreak: (a, b) => compareStrings(a.name, b.name),
};

export const VERSION_SEARCH: EntitySchema<ModelVersion> = {
  scope: 'model-versions',
  strings: {
    name: (v) => v.name,
    run_id: (v) => v.runId,
    source: (v) => v.source,
    current_stage: (v) => v.stage,
    user_id: (v) => v.userId,
  },
  numbers: { version_number: (v) => v.version, creation_timestamp: (v) => v.creationTimestamp, last_updated_timestamp: (v) => v.lastUpdatedTimestamp },
  tags: (v) => v.tags,
  aliases: { source_path: 'source', version: 'version_number' },
  order: {
    name: (a, b) => compareStrings(a.name, b.name),
    version_number: (a, b) => a.version - b.version,
    creation_timestamp: (a, b) => a.creationTimestamp - b.creationTimestamp,
    last_updated_timestamp: (a, b) => a.lastUpdatedTimestamp - b.lastUpdatedTimestamp,
  },
  // MLflow's default: newest first.
  defaultOrder: [{ key: 'last_updated_timestamp', ascending: false }],
  tiebreak: (a, b) => compareStrings(a.name, b.name) || b.version - a.version,
};
