/**
 * Experiment tracking as users and the HTTP edges see it: argument checks, defaults (run names,
 * times, users), single-item logging as one-item batches. Stores only persist.
 */
import type { MetricHistoryJson, TrackingStore } from './tracking-store.js';
import type {
  CreateExperimentInput,
  CreateRunInput,
  DatasetInput,
  Experiment,
  LogBatch,
  Metric,
  MetricHistoryInput,
  Page,
  Run,
  RunInfo,
  SearchExperimentsInput,
  SearchRunsInput,
  Tag,
  UpdateRunInput,
} from './entities.js';
import { TAG_PARENT_RUN_ID } from './entities.js';
import { LIMITS } from './limits.js';
import {
  checkBatch,
  checkDatasetInputs,
  checkInteger,
  checkMaxResults,
  checkName,
  checkRunStatus,
  checkString,
  checkViewType,
} from './validation.js';
import { invalidArgument } from '../core/errors.js';
import { generateRunName } from './run-names.js';

export interface StartRunInput extends CreateRunInput {
  parentRunId?: string;
}

export class TrackingService {
  constructor(readonly store: TrackingStore) {}

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    const name = checkString('name', input.name, LIMITS.maxExperimentNameLength);
    const tags = (input.tags ?? []).map((t) => this.checkExperimentTag(t));
    const artifactLocation = input.artifactLocation ? checkString('artifact_location', input.artifactLocation, 4096) : undefined;
    return this.store.createExperiment({ name, tags, ...(artifactLocation ? { artifactLocation } : {}) });
  }

  /** The experiment with this name, created first if it does not exist. */
  async ensureExperiment(name: string): Promise<Experiment> {
    try {
      return await this.store.getExperimentByName(name);
    } catch (err) {
      if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
      try {
        await this.createExperiment({ name });
      } catch (createErr) {
        // Another client created it between our read and write: theirs is as good as ours.
        if ((createErr as { code?: string }).code !== 'ALREADY_EXISTS') throw createErr;
      }
      return this.store.getExperimentByName(name);
    }
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return this.store.getExperiment(checkString('experiment_id', experimentId, 64));
  }
  async getExperimentByName(name: string): Promise<Experiment> {
    return this.store.getExperimentByName(checkString('experiment_name', name, LIMITS.maxExperimentNameLength));
  }
  async searchExperiments(input: SearchExperimentsInput = {}): Promise<Page<Experiment>> {
    return this.store.searchExperiments({
      ...input,
      viewType: checkViewType(input.viewType),
      maxResults: checkMaxResults(input.maxResults, LIMITS.maxSearchExperimentsResults),
    });
  }
  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    return this.store.renameExperiment(checkString('experiment_id', experimentId, 64), checkString('new_name', newName, LIMITS.maxExperimentNameLength));
  }
  async deleteExperiment(experimentId: string): Promise<void> {
    return this.store.deleteExperiment(checkString('experiment_id', experimentId, 64));
  }
  async restoreExperiment(experimentId: string): Promise<void> {
    return this.store.restoreExperiment(checkString('experiment_id', experimentId, 64));
  }
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    const tag = this.checkExperimentTag({ key, value });
    return this.store.setExperimentTag(checkString('experiment_id', experimentId, 64), tag.key, tag.value);
  }
  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.store.deleteExperimentTag(checkString('experiment_id', experimentId, 64), checkString('key', key, LIMITS.maxKeyLength));
  }

  async createRun(input: StartRunInput): Promise<Run> {
    const experimentId = checkString('experiment_id', input.experimentId ?? '0', 64);
    const tags: Tag[] = (input.tags ?? []).map((t) => ({ key: checkName('tag', t.key), value: checkString(`value of tag '${t.key}'`, t.value, LIMITS.maxTagValueLength, { allowEmpty: true }) }));
    if (input.parentRunId) {
      const parent = await this.store.getRun(checkString('parent_run_id', input.parentRunId, 64));
      tags.push({ key: TAG_PARENT_RUN_ID, value: parent.info.runId });
    }
    const runName = input.runName ? checkString('run_name', input.runName, LIMITS.maxKeyLength) : (tags.find((t) => t.key === 'mlflow.runName')?.value ?? generateRunName());
    return this.store.createRun({
      experimentId,
      runName,
      tags,
      startTime: input.startTime === undefined ? Date.now() : checkInteger('start_time', input.startTime),
      ...(input.userId ? { userId: checkString('user_id', input.userId, LIMITS.maxKeyLength) } : {}),
    });
  }

  async getRun(runId: string): Promise<Run> {
    return this.store.getRun(this.checkRunId(runId));
  }
  async updateRun(runId: string, input: UpdateRunInput): Promise<RunInfo> {
    const update: UpdateRunInput = {};
    if (input.status !== undefined) update.status = checkRunStatus(input.status);
    if (input.endTime !== undefined) update.endTime = checkInteger('end_time', input.endTime);
    if (input.runName !== undefined) update.runName = checkString('run_name', input.runName, LIMITS.maxKeyLength);
    return this.store.updateRun(this.checkRunId(runId), update);
  }
  /** Ends a run: FINISHED (default), FAILED or KILLED, with the end time now unless given. */
  async endRun(runId: string, status: 'FINISHED' | 'FAILED' | 'KILLED' = 'FINISHED', endTime = Date.now()): Promise<RunInfo> {
    return this.updateRun(runId, { status, endTime });
  }
  async deleteRun(runId: string): Promise<void> {
    return this.store.deleteRun(this.checkRunId(runId));
  }
  async restoreRun(runId: string): Promise<void> {
    return this.store.restoreRun(this.checkRunId(runId));
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const checked = checkBatch(batch);
    if (!checked.metrics.length && !checked.params.length && !checked.tags.length) {
      await this.store.getRun(this.checkRunId(runId));
      return;
    }
    return this.store.logBatch(this.checkRunId(runId), checked);
  }
  async logMetric(runId: string, key: string, value: number, opts: { timestamp?: number; step?: number } = {}): Promise<void> {
    const metric: Metric = { key, value, timestamp: opts.timestamp ?? Date.now(), step: opts.step ?? 0 };
    return this.logBatch(runId, { metrics: [metric] });
  }
  async logParam(runId: string, key: string, value: string): Promise<void> {
    return this.logBatch(runId, { params: [{ key, value }] });
  }
  async setTag(runId: string, key: string, value: string): Promise<void> {
    return this.logBatch(runId, { tags: [{ key, value }] });
  }
  async deleteTag(runId: string, key: string): Promise<void> {
    return this.store.deleteTag(this.checkRunId(runId), checkString('key', key, LIMITS.maxKeyLength));
  }
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    if (!Array.isArray(datasets)) throw invalidArgument("'datasets' must be an array of dataset inputs.");
    return this.store.logInputs(this.checkRunId(runId), checkDatasetInputs(datasets));
  }
  async getMetricHistory(runId: string, key: string, input: MetricHistoryInput = {}): Promise<Page<Metric>> {
    const opts: MetricHistoryInput = {};
    if (input.maxResults !== undefined) opts.maxResults = checkMaxResults(input.maxResults, 1_000_000);
    if (input.maxPoints !== undefined) opts.maxPoints = checkMaxResults(input.maxPoints, 1_000_000);
    if (input.pageToken) opts.pageToken = input.pageToken;
    return this.store.getMetricHistory(this.checkRunId(runId), checkString('metric_key', key, LIMITS.maxKeyLength), opts);
  }
  /** The history as wire JSON text (no downsampling): what the HTTP edges send for long histories. */
  async getMetricHistoryJson(runId: string, key: string, input: Omit<MetricHistoryInput, 'maxPoints'> = {}): Promise<MetricHistoryJson> {
    const opts: Omit<MetricHistoryInput, 'maxPoints'> = {};
    if (input.maxResults !== undefined) opts.maxResults = checkMaxResults(input.maxResults, 1_000_000);
    if (input.pageToken) opts.pageToken = input.pageToken;
    return this.store.getMetricHistoryJson(this.checkRunId(runId), checkString('metric_key', key, LIMITS.maxKeyLength), opts);
  }
  async searchRuns(input: SearchRunsInput): Promise<Page<Run>> {
    if (!Array.isArray(input.experimentIds)) throw invalidArgument("'experiment_ids' must be a list of experiment ids.");
    return this.store.searchRuns({
      ...input,
      experimentIds: input.experimentIds.map((id) => checkString('experiment_ids[]', String(id), 64)),
      runViewType: checkViewType(input.runViewType),
      maxResults: checkMaxResults(input.maxResults, LIMITS.maxSearchRunsResults),
    });
  }

  /** See TrackingStore.dataVersion: null means "do not cache". */
  dataVersion(): Promise<string | null> {
    return this.store.dataVersion();
  }

  private checkRunId(runId: string): string {
    return checkString('run_id', runId, 64);
  }
  private checkExperimentTag(t: Tag): Tag {
    return { key: checkString('key', t.key, LIMITS.maxKeyLength), value: checkString(`value of tag '${t.key}'`, t.value, LIMITS.maxExperimentTagValueLength, { allowEmpty: true }) };
  }
}
