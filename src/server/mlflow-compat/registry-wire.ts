/** MLflow's wire shapes of registry entities: versions as strings, timestamps as int64 numbers. */
import type { ModelVersion, RegisteredModel } from '../../registry/entities.js';

type Json = Record<string, unknown>;

const compact = (obj: Json): Json => {
  for (const [k, v] of Object.entries(obj)) if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) delete obj[k];
  return obj;
};

export const versionToWire = (v: ModelVersion): Json =>
  compact({
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    user_id: v.userId,
    current_stage: v.stage,
    description: v.description,
    source: v.source,
    run_id: v.runId,
    status: v.status,
    status_message: v.statusMessage,
    tags: v.tags,
    run_link: v.runLink,
    aliases: v.aliases,
  });

export const modelToWire = (m: RegisteredModel): Json =>
  compact({
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    description: m.description,
    latest_versions: m.latestVersions.map(versionToWire),
    tags: m.tags,
    aliases: m.aliases.map((a) => ({ alias: a.alias, version: String(a.version) })),
  });
