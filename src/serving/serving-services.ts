/**
 * Serving's part of the composition root: deployments over the registry's models, the inference
 * log, metrics. Nothing loads until `start()` — only server processes serve; a CLI command that
 * creates a deployment records it, and running servers pick it up within a poll.
 */
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Database } from '../stores/schema.js';
import type { Dialect } from '../stores/sql/sql-text.js';
import type { RegistryApi } from '../registry/registry-api.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { SqlDeploymentStore } from '../stores/sql/sql-deployment-store.js';
import { SqlInferenceLogStore } from '../stores/sql/sql-inference-log-store.js';
import { InferenceLogWriter } from './inference-log/inference-log-writer.js';
import type { InferenceLogStore } from './inference-log/inference-log-store.js';
import { DeploymentManager } from './deployments/deployment-manager.js';
import { DeploymentService } from './deployments/deployment-service.js';
import { RegistryModelSource } from './deployments/registry-model-source.js';
import type { ServingEvent } from './deployments/deployment-runtime.js';
import { ServingMetrics } from './serving-metrics.js';
import { ThreadedLogAppender } from '../stores/sqlite/threaded-log-appender.js';

export interface Serving {
  deployments: DeploymentService;
  inferenceLog: InferenceLogStore;
  /** Live deployments; null until start(). */
  manager(): DeploymentManager | null;
  /** Begins loading and serving every deployment, reconciling every `pollMs`. */
  start(options?: { pollMs?: number; onEvent?: (e: ServingEvent) => void; onError?: (err: unknown) => void; clock?: () => number }): DeploymentManager;
  /** Writes what the inference log has buffered (before reading a window that must include it). */
  flushLog(): Promise<void>;
  stop(): Promise<void>;
}

export function openServing(db: Kysely<Database>, dialect: Dialect, registry: RegistryApi, artifacts: ArtifactStore, metricsRegistry: Registry, sqliteFile?: string): Serving {
  const store = new SqlDeploymentStore(db);
  const inferenceLog = new SqlInferenceLogStore(db, dialect);
  const source = new RegistryModelSource(registry, artifacts);
  let manager: DeploymentManager | null = null;
  let writer: InferenceLogWriter | null = null;
  let appender: ThreadedLogAppender | null = null;
  return {
    deployments: new DeploymentService(store, source, () => manager),
    inferenceLog,
    manager: () => manager,
    start(options = {}) {
      if (manager) return manager;
      const metrics = new ServingMetrics(metricsRegistry);
      // On a SQLite file the log is written from a worker thread with its own connection; PostgreSQL's pool is already asynchronous.
      if (sqliteFile) appender = new ThreadedLogAppender(sqliteFile);
      const sink = appender ? { append: (records: Parameters<InferenceLogStore['append']>[0]) => appender!.append(records) } : inferenceLog;
      writer = new InferenceLogWriter(sink, { onError: options.onError ?? (() => {}) });
      const w = writer;
      metrics.droppedSource = () => w.dropped;
      manager = new DeploymentManager(store, { source, log: writer, metrics, ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.clock ? { clock: options.clock } : {}) });
      manager.start(options.pollMs ?? 2_000, options.onError);
      return manager;
    },
    async flushLog() {
      await writer?.flush();
    },
    async stop() {
      await manager?.stop();
      await writer?.close();
      await appender?.close();
      appender = null;
      manager = null;
    },
  };
}
