/**
 * Composition root for the embedded stores: config → stores → services. Used by `gyre server`,
 * by the CLI and by the SDK in local mode, so all three run the same code on the same files.
 */
import type { GyreConfig } from './core/config.js';
import { openStores } from './stores/open-stores.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import { TrackingService } from './tracking/tracking-service.js';
import { RunArtifacts } from './tracking/run-artifacts.js';
import { WebhookService } from './webhooks/webhook-service.js';
import type { WebhookStore } from './webhooks/webhook-store.js';
import type { EventSource } from './webhooks/entities.js';
import { SqlWebhookStore } from './stores/sql/sql-webhook-store.js';
import { Registry } from 'prom-client';
import { RegistryService } from './registry/registry-service.js';
import { registryEventSource } from './registry/registry-event-source.js';
import { SqlRegistryStore } from './stores/sql/sql-registry-store.js';
import { LocalModelsApi } from './models/models-api.js';
import { openServing } from './serving/serving-services.js';
import type { Serving } from './serving/serving-services.js';
import { DataService } from './data/data-service.js';
import type { RetrainingStore } from './continuous-training/retraining-store.js';
import { SqlRetrainingStore } from './stores/sql/sql-retraining-store.js';
import { openMonitoring } from './monitoring/open-monitoring.js';
import type { MonitoringService } from './monitoring/monitoring-service.js';
import { SqlPipelineStore } from './stores/sql/sql-pipeline-store.js';
import type { PipelineStore } from './pipelines/pipeline-store.js';
import { SqlScheduleStore } from './stores/sql/sql-schedule-store.js';
import type { ScheduleStore } from './pipelines/schedules/schedule-store.js';

export interface Services {
  tracking: TrackingService;
  registry: RegistryService;
  /** Register ONNX files as versions, lineage, model cards. */
  models: LocalModelsApi;
  /** Deployments, the inference log; serving itself starts only in server processes. */
  serving: Serving;
  runArtifacts: RunArtifacts;
  artifactStore: ArtifactStore;
  webhooks: WebhookService;
  webhookStore: WebhookStore;
  /** Domain event outboxes that webhooks subscribe to, by source name. */
  eventSources: Record<string, EventSource>;
  /** Prometheus registry of this process's metrics, exposed at /metrics. */
  metrics: Registry;
  /** Versioned datasets, profiles and validation. */
  data: DataService;
  /** Continuous-training policies and their decisions. */
  retraining: RetrainingStore;
  /** Reference profiles, monitors over deployments, their results and alerts. */
  monitoring: MonitoringService;
  /** Pipeline runs, step states and the step cache (PipelineService runs them). */
  pipelineStore: PipelineStore;
  /** Pipeline schedules and event triggers. */
  scheduleStore: ScheduleStore;
  close(): Promise<void>;
}

export async function openServices(config: Pick<GyreConfig, 'home' | 'databaseUrl' | 'artifactsUrl'>): Promise<Services> {
  const stores = await openStores(config);
  const tracking = new TrackingService(stores.tracking);
  const registry = new RegistryService(new SqlRegistryStore(stores.database.db), (runId) => latestMetrics(tracking, runId));
  const webhookStore = new SqlWebhookStore(stores.database.db);
  const eventSources: Record<string, EventSource> = { registry: registryEventSource(registry) };
  const metrics = new Registry();
  const serving = openServing(stores.database.db, stores.database.dialect, registry, stores.artifacts, metrics, stores.database.sqliteFile);
  const runArtifacts = new RunArtifacts(tracking, stores.artifacts);
  const data = new DataService(stores.datasets, stores.artifacts);
  const monitoring = openMonitoring({ db: stores.database.db, serving, registry, artifacts: stores.artifacts, metrics, readDataset: (ref) => data.readColumns(ref) });
  eventSources.monitoring = monitoring.eventSource;
  return {
    serving,
    registry,
    models: new LocalModelsApi({ registry, tracking, artifacts: stores.artifacts, runArtifacts, deploymentsServing: (name, version) => deploymentsServing(serving, registry, name, version) }),
    webhooks: new WebhookService(webhookStore, knownEventTypes(eventSources)),
    webhookStore,
    eventSources,
    metrics,
    tracking,
    runArtifacts,
    artifactStore: stores.artifacts,
    data,
    monitoring: monitoring.service,
    retraining: new SqlRetrainingStore(stores.database.db),
    pipelineStore: new SqlPipelineStore(stores.database),
    scheduleStore: new SqlScheduleStore(stores.database.db),
    close: async () => {
      await serving.stop();
      await stores.close();
    },
  };
}

/** Event types the wired sources can emit; empty (accept any well-formed pattern) until one is wired. */
function knownEventTypes(sources: Record<string, EventSource>): string[] {
  return Object.values(sources).flatMap((s) => s.eventTypes ?? []);
}

/** A run's latest metric values, for the registry's policy gates. */
async function latestMetrics(tracking: TrackingService, runId: string): Promise<Record<string, number>> {
  const run = await tracking.getRun(runId);
  return Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
}

/** Deployments whose traffic (variants or shadow) reaches a model version now. */
async function deploymentsServing(serving: Serving, registry: RegistryService, name: string, version: number): Promise<string[]> {
  const found: string[] = [];
  for (const d of await serving.deployments.list()) {
    const refs = [...d.spec.variants.map((v) => v.model), ...(d.spec.shadow ? [d.spec.shadow.model] : [])];
    for (const ref of refs) {
      const v = await registry.resolve(ref).catch(() => null);
      if (v && v.name === name && v.version === version) {
        found.push(d.name);
        break;
      }
    }
  }
  return found;
}
