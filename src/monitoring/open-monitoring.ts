/** Monitoring's part of the composition root: its store on the shared database, its gauges, its event source. */
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Database } from '../stores/schema.js';
import type { Serving } from '../serving/serving-services.js';
import type { RegistryApi } from '../registry/registry-api.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { EventSource } from '../webhooks/entities.js';
import { SqlMonitoringStore } from '../stores/sql/sql-monitoring-store.js';
import { RegistryModelSource } from '../serving/deployments/registry-model-source.js';
import { MonitoringMetrics } from './monitoring-metrics.js';
import { MonitoringService } from './monitoring-service.js';
import { monitoringEventSource } from './alerts/monitoring-event-source.js';
import type { ReadDataset } from './profiles/profile-service.js';

export interface OpenMonitoringInput {
  db: Kysely<Database>;
  serving: Serving;
  registry: RegistryApi;
  artifacts: ArtifactStore;
  metrics: Registry;
  readDataset?: ReadDataset;
}

export function openMonitoring(input: OpenMonitoringInput): { service: MonitoringService; eventSource: EventSource } {
  const store = new SqlMonitoringStore(input.db);
  const models = new RegistryModelSource(input.registry, input.artifacts);
  const service = new MonitoringService({
    store,
    inferenceLog: input.serving.inferenceLog,
    checkDeployment: (name) => input.serving.deployments.get(name),
    manifestOf: async (modelName, version) => models.loadManifest(await models.resolve(`${modelName}/${version}`)),
    ...(input.readDataset ? { readDataset: input.readDataset } : {}),
    metrics: new MonitoringMetrics(input.metrics),
  });
  return { service, eventSource: monitoringEventSource(store) };
}
