/**
 * The persistence contract for experiment tracking. Implemented by the SQL store (SQLite and
 * PostgreSQL through Kysely) and by the REST store the SDK uses against a remote server; one
 * contract suite (tracking-store.contract.ts) runs against every implementation.
 *
 * Stores enforce integrity (existence, uniqueness, write-once params, lifecycle); argument shape
 * and size limits are checked once, in TrackingService, before a store is called.
 */
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
} from './entities.js';

/**
 * A history as UTF-8 JSON bytes: an array of `{key, value, timestamp, step}`, doubles as in
 * core/json-numbers. Bytes, not a string: the edges send them as they are, with no re-encoding.
 */
export interface MetricHistoryJson {
  json: Buffer;
  count: number;
  nextPageToken: string | null;
}

export interface TrackingStore {
  createExperiment(input: CreateExperimentInput): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  getExperimentByName(name: string): Promise<Experiment>;
  searchExperiments(input: SearchExperimentsInput): Promise<Page<Experiment>>;
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  deleteExperiment(experimentId: string): Promise<void>;
  restoreExperiment(experimentId: string): Promise<void>;
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;

  createRun(input: CreateRunInput): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  updateRun(runId: string, input: UpdateRunInput): Promise<RunInfo>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  /** Params, metrics and tags in one transaction: all are written or none. */
  logBatch(runId: string, batch: LogBatch): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void>;
  getMetricHistory(runId: string, key: string, input?: MetricHistoryInput): Promise<Page<Metric>>;
  /** The same points as getMetricHistory (no downsampling), as JSON text built where it is cheapest. */
  getMetricHistoryJson(runId: string, key: string, input?: Omit<MetricHistoryInput, 'maxPoints'>): Promise<MetricHistoryJson>;
  searchRuns(input: SearchRunsInput): Promise<Page<Run>>;

  /**
   * A token that changes whenever a committed write may have changed what reads return; null when
   * the backend cannot tell. Read caches key on it, so they never serve data older than the store.
   */
  dataVersion(): Promise<string | null>;

  close(): Promise<void>;
}
