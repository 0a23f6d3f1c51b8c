/** Tracking entities, with MLflow's semantics (see its REST API 2.0 docs); camelCase inside Gyre. */

export type LifecycleStage = 'active' | 'deleted';
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface Tag {
  key: string;
  value: string;
}

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: Tag[];
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

/** A metric point. `value` may be NaN or ±Infinity, kept as such (MLflow's SQL store clamps ±Inf). */
export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface Param {
  key: string;
  value: string;
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  dataset: Dataset;
  tags: Tag[];
}

export interface Run {
  info: RunInfo;
  data: { metrics: Metric[]; params: Param[]; tags: Tag[] };
  inputs: { datasetInputs: DatasetInput[] };
}

export interface LogBatch {
  metrics?: Metric[];
  params?: Param[];
  tags?: Tag[];
}

export interface Page<T> {
  items: T[];
  nextPageToken: string | null;
}

export interface CreateExperimentInput {
  name: string;
  artifactLocation?: string;
  tags?: Tag[];
}

export interface CreateRunInput {
  experimentId: string;
  userId?: string;
  runName?: string;
  startTime?: number;
  tags?: Tag[];
}

export interface UpdateRunInput {
  status?: RunStatus;
  endTime?: number;
  runName?: string;
}

export interface SearchRunsInput {
  experimentIds: string[];
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface SearchExperimentsInput {
  filter?: string;
  viewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface MetricHistoryInput {
  maxResults?: number;
  pageToken?: string;
  /** Downsample to about this many points, keeping each bucket's first, min, max and last. */
  maxPoints?: number;
}

/** Well-known tags, as MLflow names them, so MLflow's UI and clients understand Gyre's runs. */
export const TAG_RUN_NAME = 'mlflow.runName';
export const TAG_PARENT_RUN_ID = 'mlflow.parentRunId';
export const TAG_USER = 'mlflow.user';
export const TAG_SOURCE_NAME = 'mlflow.source.name';
export const TAG_SOURCE_TYPE = 'mlflow.source.type';
export const TAG_DATASET_CONTEXT = 'mlflow.data.context';
