/**
 * Schema migrations, one entry per step, written as plain SQL per dialect so that what runs is
 * exactly what is reviewed. Applied in order by `applyMigrations` under a database-wide lock.
 * Never edit a released entry: add a new one.
 */
import { trackingTables } from './0001-tracking.js';
import { registryTables } from './0002-registry.js';
import { webhookTables } from './0004-webhooks.js';
import { inferenceLogTables } from './0005-inference-log.js';
import { deploymentTables } from './0006-deployments.js';
import { dataTables } from './0003-data.js';
import { pipelineTables } from './0007-pipelines.js';
import { monitoringTables } from './0008-monitoring.js';
import { retrainingTables } from './0009-retraining.js';
import { dropInferenceLogRequestIndex } from './0010-inference-log-request-index.js';
import { inferenceLogInputsKind } from './0011-inference-log-inputs-kind.js';
import { inferenceLogSegments } from './0012-inference-log-segments.js';

export interface Migration {
  id: string;
  sqlite: string;
  postgres: string;
}

// One entry per file `NNNN-<domain>.ts`; the id is what the migrations table records.
export const MIGRATIONS: readonly Migration[] = [
  { id: '0001_tracking', sqlite: trackingTables('sqlite'), postgres: trackingTables('postgres') },
  { id: '0002_registry', sqlite: registryTables('sqlite'), postgres: registryTables('postgres') },
  { id: '0003_data', sqlite: dataTables('sqlite'), postgres: dataTables('postgres') },
  { id: '0004_webhooks', sqlite: webhookTables('sqlite'), postgres: webhookTables('postgres') },
  { id: '0005_inference_log', sqlite: inferenceLogTables('sqlite'), postgres: inferenceLogTables('postgres') },
  { id: '0006_deployments', sqlite: deploymentTables('sqlite'), postgres: deploymentTables('postgres') },
  { id: '0007_pipelines', sqlite: pipelineTables('sqlite'), postgres: pipelineTables('postgres') },
  { id: '0008_monitoring', sqlite: monitoringTables('sqlite'), postgres: monitoringTables('postgres') },
  { id: '0009_retraining', sqlite: retrainingTables('sqlite'), postgres: retrainingTables('postgres') },
  { id: '0010_inference_log_request_index', sqlite: dropInferenceLogRequestIndex(), postgres: dropInferenceLogRequestIndex() },
  { id: '0011_inference_log_inputs_kind', sqlite: inferenceLogInputsKind(), postgres: inferenceLogInputsKind() },
  { id: '0012_inference_log_segments', sqlite: inferenceLogSegments('sqlite'), postgres: inferenceLogSegments('postgres') },
];
