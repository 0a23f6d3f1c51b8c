/**
 * The TypeScript SDK. `connect()` uses a remote server when GYRE_URL (or `url`) is set, otherwise
 * the embedded stores in GYRE_HOME (`./.gyre`): the same API either way.
 *
 * @example
 * const gyre = await connect();
 * const run = await gyre.startRun({ experiment: 'bike-demand', runName: 'baseline' });
 * await run.logParams({ model: 'mean' });
 * await run.logMetric('rmse', 181.4);
 * await run.end();
 * await gyre.close();
 */
import { resolveConfig } from '../core/config.js';
import type { ConfigOverrides, GyreConfig } from '../core/config.js';
import { TrackingService } from '../tracking/tracking-service.js';
import type { RunArtifactAccess } from '../tracking/run-artifact-access.js';
import type { Tag } from '../tracking/entities.js';
import { openServices } from '../services.js';
import type { Services } from '../services.js';
import { RestClient } from '../stores/rest/rest-client.js';
import { RestTrackingStore } from '../stores/rest/rest-tracking-store.js';
import { RestRunArtifacts } from '../stores/rest/rest-run-artifacts.js';
import { ActiveRun } from './active-run.js';
import type { WebhookApi } from '../webhooks/webhook-api.js';
import { RestWebhookApi } from '../stores/rest/rest-webhook-api.js';
import type { RegistryApi } from '../registry/registry-api.js';
import { RestRegistryApi } from '../stores/rest/rest-registry-api.js';
import { RestDeploymentApi } from '../stores/rest/rest-deployment-api.js';
import type { DeploymentApi } from '../serving/deployments/deployment-api.js';
import type { ModelsApi } from '../models/models-api.js';
import { RestModelsApi } from '../models/models-api.js';
import type { DataAccess } from '../data/data-access.js';
import { runTrainJob } from '../training/train-job.js';
import type { TrainJob, TrainResult } from '../training/train-job.js';
import { RestDataAccess } from '../stores/rest/rest-data-access.js';

export interface StartRunOptions {
  /** Experiment name (created if missing) or use `experimentId`; default the Default experiment. */
  experiment?: string;
  experimentId?: string;
  runName?: string;
  parentRunId?: string;
  tags?: Record<string, string>;
  userId?: string;
}

export class Gyre {
  constructor(
    /** Full tracking API: experiments, runs, search, histories. */
    readonly tracking: TrackingService,
    /** Run artifacts: upload, download, list. */
    readonly artifacts: RunArtifactAccess,
    /** Webhook subscriptions and their delivery log. */
    readonly webhooks: WebhookApi,
    /** The model registry: models, versions, aliases, approvals. */
    readonly registry: RegistryApi,
    /** Register ONNX files as versions; lineage; model cards. */
    readonly models: ModelsApi,
    readonly config: GyreConfig,
    private readonly onClose: () => Promise<void>,
    /**
     * Versioned datasets: add, list, get (`NAME@N`, `NAME@<digest prefix>`, `NAME@latest`), diff,
     * inferSuite, validate.
     * @example
     * const { version } = await gyre.data.add({ name: 'adult', source: 'adult.data', readOptions: { trim: true, nullValues: ['?'] } });
     * const report = await gyre.data.validate('adult@latest', suite('adult').notNull('age').build());
     */
    readonly data: DataAccess,
    /**
     * Deployments: named endpoints over model versions or aliases, served by `gyre server` —
     * create, canary, promote, roll back, shadow, history.
     * @example
     * await gyre.deployments.create('bike-demand', { model: 'bike-demand@champion' }, { user: 'alice', reason: null });
     * await gyre.deployments.canary('bike-demand', 'bike-demand/7', 10, { user: 'alice', reason: 'retrained on May' });
     */
    readonly deployments: DeploymentApi,
  ) {}

  /**
   * Starts a run and returns a handle for logging to it.
   * @example const run = await gyre.startRun({ experiment: 'bike-demand' })
   */
  async startRun(opts: StartRunOptions = {}): Promise<ActiveRun> {
    const experimentId = opts.experimentId ?? (opts.experiment ? (await this.tracking.ensureExperiment(opts.experiment)).experimentId : '0');
    const tags: Tag[] = Object.entries(opts.tags ?? {}).map(([key, value]) => ({ key, value }));
    const run = await this.tracking.createRun({
      experimentId,
      tags,
      ...(opts.runName ? { runName: opts.runName } : {}),
      ...(opts.parentRunId ? { parentRunId: opts.parentRunId } : {}),
      userId: opts.userId ?? process.env.USER ?? 'unknown',
    });
    return new ActiveRun(run.info.runId, experimentId, this.tracking, this.artifacts);
  }

  /** Resumes logging to an existing run. @example const run = gyre.run(process.env.GYRE_RUN_ID!) */
  run(runId: string, experimentId = ''): ActiveRun {
    return new ActiveRun(runId, experimentId, this.tracking, this.artifacts);
  }

  /**
   * Trains a built-in model (optionally searching hyperparameters), evaluates it on held-out rows
   * with a report, decides gates against thresholds and the champion, logs it as ONNX and registers
   * it; the alias moves only if the gate passed. Embedded mode only (it reads the data locally).
   * @example
   * const r = await gyre.train({ data: 'bike@latest', target: 'cnt', search: { space: 'default', trials: 12 }, gates: ['rmse <= champion * 0.98'], register: 'bike-demand', alias: 'champion' });
   */
  train(job: Omit<TrainJob, 'user'> & { user?: string }): Promise<TrainResult> {
    return runTrainJob(this, { ...job, user: job.user ?? process.env.GYRE_USER ?? process.env.USER ?? 'unknown' });
  }

  /** Releases database connections. @example await gyre.close() */
  close(): Promise<void> {
    return this.onClose();
  }
}

/**
 * Connects to Gyre: remote when `url`/GYRE_URL is set, else the embedded stores.
 * @example const gyre = await connect({ home: '/tmp/gyre' })
 */
export async function connect(overrides: ConfigOverrides & { url?: string } = {}): Promise<Gyre> {
  const config = resolveConfig({ ...overrides, ...(overrides.url ? { remoteUrl: overrides.url } : {}) });
  if (config.remoteUrl) {
    const client = new RestClient(config.remoteUrl, config.token);
    return new Gyre(new TrackingService(new RestTrackingStore(client)), new RestRunArtifacts(client), new RestWebhookApi(client), new RestRegistryApi(client), new RestModelsApi(client), config, async () => {}, new RestDataAccess(client), new RestDeploymentApi(client));
  }
  // Opened here, so closed with the Gyre (gyreOver leaves that to whoever opened the services).
  const services = await openServices(config);
  return gyreOver(services, config, () => services.close());
}

/**
 * The SDK over services this process already opened (a server, a pipeline step, a replay), so both
 * share one database handle. Whoever opened the services closes them; closing this Gyre does not.
 */
export function gyreOver(services: Services, config: GyreConfig = resolveConfig(), onClose: () => Promise<void> = async () => {}): Gyre {
  return new Gyre(services.tracking, services.runArtifacts, services.webhooks, services.registry, services.models, config, onClose, services.data, services.serving.deployments);
}
