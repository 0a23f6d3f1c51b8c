/**
 * TrackingStore over Kysely: the same code serves SQLite and PostgreSQL; the few dialect
 * differences (placeholders, ILIKE) are passed down as `dialect`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { MetricHistoryJson, TrackingStore } from '../../tracking/tracking-store.js';
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
  UpdateRunInput,
} from '../../tracking/entities.js';
import * as experiments from './experiment-queries.js';
import * as runs from './run-queries.js';
import { logBatch } from './log-batch.js';
import { getMetricHistory, getMetricHistoryJson } from './metric-history.js';
import { searchRuns } from './search-runs.js';
import { searchExperimentsInMemory } from '../../tracking/search/experiment-search.js';
import type { Dialect } from './sql-text.js';
import { WriteCounter } from '../write-counter.js';

export class SqlTrackingStore implements TrackingStore {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    /** What close() does: by default the store owns the connection; a shared one is closed by its opener. */
    private readonly onClose: () => Promise<void> = () => db.destroy(),
    /** Changes when another connection commits (SQLite's PRAGMA data_version); absent: unknown. */
    private readonly externalVersion?: () => number,
    /** Writes through this connection by any store (shared with the pipeline store, which writes steps' runs). */
    private readonly writes: WriteCounter = new WriteCounter(),
  ) {}

  /**
   * A token that changes whenever a committed write may have changed what reads return, or null
   * when this backend cannot tell (PostgreSQL, where other servers write too). Bumped before and
   * after each write, so a read that overlaps a write is never cached under the later version.
   */
  async dataVersion(): Promise<string | null> {
    return this.externalVersion ? `${this.writes.value}:${this.externalVersion()}` : null;
  }

  private write<T>(fn: () => Promise<T>): Promise<T> {
    return this.writes.around(fn);
  }

  createExperiment(input: CreateExperimentInput): Promise<string> {
    return this.write(() => experiments.createExperiment(this.db, input));
  }
  getExperiment(experimentId: string): Promise<Experiment> {
    return experiments.getExperiment(this.db, experimentId);
  }
  getExperimentByName(name: string): Promise<Experiment> {
    return experiments.getExperimentByName(this.db, name);
  }
  async searchExperiments(input: SearchExperimentsInput): Promise<Page<Experiment>> {
    return searchExperimentsInMemory(await experiments.listExperiments(this.db), input);
  }
  renameExperiment(experimentId: string, newName: string): Promise<void> {
    return this.write(() => experiments.renameExperiment(this.db, experimentId, newName));
  }
  deleteExperiment(experimentId: string): Promise<void> {
    return this.write(() => experiments.setExperimentLifecycle(this.db, experimentId, 'deleted'));
  }
  restoreExperiment(experimentId: string): Promise<void> {
    return this.write(() => experiments.setExperimentLifecycle(this.db, experimentId, 'active'));
  }
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    return this.write(() => experiments.setExperimentTag(this.db, experimentId, key, value));
  }
  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.write(() => experiments.deleteExperimentTag(this.db, experimentId, key));
  }

  createRun(input: CreateRunInput): Promise<Run> {
    return this.write(() => runs.createRun(this.db, input, input.runName ?? ''));
  }
  getRun(runId: string): Promise<Run> {
    return runs.getRun(this.db, runId);
  }
  updateRun(runId: string, input: UpdateRunInput): Promise<RunInfo> {
    return this.write(() => runs.updateRun(this.db, runId, input));
  }
  deleteRun(runId: string): Promise<void> {
    return this.write(() => runs.setRunLifecycle(this.db, runId, 'deleted'));
  }
  restoreRun(runId: string): Promise<void> {
    return this.write(() => runs.setRunLifecycle(this.db, runId, 'active'));
  }
  logBatch(runId: string, batch: LogBatch): Promise<void> {
    return this.write(() => logBatch(this.db, this.dialect, runId, batch));
  }
  deleteTag(runId: string, key: string): Promise<void> {
    return this.write(() => runs.deleteTag(this.db, runId, key));
  }
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    return this.write(() => runs.logInputs(this.db, runId, datasets));
  }
  getMetricHistory(runId: string, key: string, input?: MetricHistoryInput): Promise<Page<Metric>> {
    return getMetricHistory(this.db, this.dialect, runId, key, input);
  }
  getMetricHistoryJson(runId: string, key: string, input?: Omit<MetricHistoryInput, 'maxPoints'>): Promise<MetricHistoryJson> {
    return getMetricHistoryJson(this.db, this.dialect, runId, key, input);
  }
  searchRuns(input: SearchRunsInput): Promise<Page<Run>> {
    return searchRuns(this.db, this.dialect, { ...input, maxResults: input.maxResults ?? 1000 });
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
