/**
 * A handle on one run for logging from code: metrics, params, tags, datasets and artifacts, then
 * `end()`. Obtained from `Gyre.startRun()`.
 */
import fs from 'node:fs';
import { logModel } from '../models/run-models.js';
import type { LogModelOptions } from '../models/run-models.js';
import path from 'node:path';
import type { TrackingService } from '../tracking/tracking-service.js';
import type { RunArtifactAccess } from '../tracking/run-artifact-access.js';
import type { DatasetInput, LogBatch, Run, RunStatus } from '../tracking/entities.js';
import type { DatasetVersion } from '../data/entities.js';
import { datasetVersionInput } from '../data/run-input.js';

export class ActiveRun {
  private readonly steps = new Map<string, number>();

  constructor(
    readonly id: string,
    readonly experimentId: string,
    private readonly tracking: TrackingService,
    private readonly artifacts: RunArtifactAccess,
  ) {}

  /**
   * Logs one metric point. Without `step`, each key counts its own steps 0, 1, 2, ...
   * @example await run.logMetric('rmse', 41.2)
   */
  async logMetric(key: string, value: number, step?: number): Promise<void> {
    const s = step ?? this.steps.get(key) ?? 0;
    this.steps.set(key, s + 1);
    await this.tracking.logMetric(this.id, key, value, { step: s });
  }

  /**
   * Logs several metrics at one step.
   * @example await run.logMetrics({ rmse: 41.2, mae: 27.9 }, 10)
   */
  async logMetrics(values: Record<string, number>, step = 0): Promise<void> {
    const timestamp = Date.now();
    await this.tracking.logBatch(this.id, { metrics: Object.entries(values).map(([key, value]) => ({ key, value, timestamp, step })) });
  }

  /**
   * Logs params (write-once: the same value again is fine, another value is refused).
   * @example await run.logParams({ model: 'gbdt', learning_rate: 0.1 })
   */
  async logParams(params: Record<string, string | number | boolean>): Promise<void> {
    await this.tracking.logBatch(this.id, { params: Object.entries(params).map(([key, value]) => ({ key, value: String(value) })) });
  }

  /** @example await run.setTags({ team: 'forecasting' }) */
  async setTags(tags: Record<string, string>): Promise<void> {
    await this.tracking.logBatch(this.id, { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
  }

  /** Everything in one transaction. @example await run.logBatch({ metrics: [{ key: 'm', value: 1, timestamp: Date.now(), step: 0 }] }) */
  logBatch(batch: LogBatch): Promise<void> {
    return this.tracking.logBatch(this.id, batch);
  }

  /**
   * Records the datasets this run read (MLflow's log-inputs).
   * @example await run.logInputs([{ dataset: { name: 'bikes', digest, sourceType: 'local', source: 'hour.csv' }, tags: [{ key: 'mlflow.data.context', value: 'training' }] }])
   */
  logInputs(inputs: DatasetInput[]): Promise<void> {
    return this.tracking.logInputs(this.id, inputs);
  }

  /**
   * Records that this run read a Gyre dataset version (name, content digest, `NAME@N` as source,
   * schema and profile), so the model traces back to exact data.
   * @example await run.logDatasetVersion(await gyre.data.get('adult@latest'), 'training')
   */
  logDatasetVersion(version: DatasetVersion, context = 'training'): Promise<void> {
    return this.tracking.logInputs(this.id, [datasetVersionInput(version, context)]);
  }

  /**
   * Uploads a local file (streamed) as an artifact, under `artifactPath` or its own name.
   * @example await run.logArtifact('report.html', 'reports/report.html')
   */
  logArtifact(localFile: string, artifactPath = path.basename(localFile)) {
    return this.artifacts.upload(this.id, artifactPath, fs.createReadStream(localFile));
  }

  /**
   * Logs an ONNX model under the run (checked in ONNX Runtime first): `model/model.onnx` and
   * `model/gyre-model.json` by default. Register it later with `gyre models register --run <id>`.
   * @example await run.logModel(fs.readFileSync('model.onnx'), { featureNames: ['temp', 'hum'] })
   */
  logModel(onnx: Uint8Array, options: LogModelOptions = {}): Promise<{ artifactPath: string; digest: string }> {
    return logModel(this.tracking, this.artifacts, this.id, onnx, options);
  }

  /** Stores text or bytes as an artifact. @example await run.logText('notes.md', '# Notes') */
  logText(artifactPath: string, content: string | Uint8Array) {
    return this.artifacts.upload(this.id, artifactPath, content);
  }

  /** @example const run = await active.get() */
  get(): Promise<Run> {
    return this.tracking.getRun(this.id);
  }

  /** Ends the run. @example await run.end() // FINISHED */
  async end(status: Extract<RunStatus, 'FINISHED' | 'FAILED' | 'KILLED'> = 'FINISHED'): Promise<void> {
    await this.tracking.endRun(this.id, status);
  }
}
