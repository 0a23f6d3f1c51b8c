/**
 * Continuous training: a retraining policy per deployment (what triggers a retraining, which data
 * window it trains on, the gates a challenger must pass, how it rolls out, and the guard rails), and
 * the record of every retraining decision, so "why is version 7 live?" always has an answer.
 */
import type { ModelKind, ParamValues } from '../training/fitted-model.js';
import type { SearchJob } from '../training/train-job.js';

export interface RetrainingPolicy {
  /** The deployment watched; it follows `model@alias`, so a promotion reaches it by an alias move. */
  deployment: string;
  model: string;
  alias: string;
  /** The label's name: the target column of the dataset, and what labels in the inference log mean. */
  target: string;
  /** Feature columns; default: the champion's manifest inputs. */
  features?: string[];
  /**
   * How challengers are made: Gyre's trainer (`model`, `params`, `search`; `sensitive` adds fairness
   * metrics for fairness gates), or the user's own pipeline (`pipeline`) that registers a new version.
   */
  trainer: { model: ModelKind; params?: ParamValues; search?: SearchJob; sensitive?: string; pipeline?: PipelineTrainer };
  data: {
    /** A dataset version with the history before serving began (`NAME@VERSION`, `NAME@latest`). */
    dataset?: string;
    /** The dataset's time column (a date or a datetime), needed to window it. */
    timeColumn?: string;
    /** An hour-of-day column added to a date-only `timeColumn` (hourly data such as bike sharing). */
    hourColumn?: string;
    /** Train on labelled data from the last N days. */
    windowDays: number;
    /** Add the deployment's labelled inference-log records (default true). */
    includeInferenceLog?: boolean;
  };
  /** The most recent labelled days are held out: champion and challenger are both scored on them. */
  evaluationDays: number;
  /** Gate rules (`rmse <= champion * 0.98`, thresholds); default: the challenger must beat the champion. */
  gates?: string[];
  triggers: {
    /** Retrain on a schedule, every N days (of the clock the trainer runs on). */
    everyDays?: number;
    /** Retrain when a monitoring alert fires on the deployment: true for any, or the rule names. */
    onAlerts?: boolean | string[];
  };
  /**
   * 'promote' moves the alias at once (the deployment warms the new version up, then switches).
   * A canary sends `percent` of traffic to the challenger first; after `observeHours` the labelled
   * traffic of both variants is compared, and the challenger is promoted or rolled back.
   */
  rollout: 'promote' | CanaryRollout;
  guardRails: {
    /** No new retraining within this many hours of the last one that ran. */
    coolDownHours: number;
    /** At most this many retrainings in any 7 days. */
    maxPerWeek: number;
  };
}

export interface CanaryRollout {
  strategy: 'canary';
  percent: number;
  observeHours: number;
}

/** `canary`: the challenger passed the gate and takes a share of traffic; `rolled-back`: it then lost. */
/**
 * A pipeline (YAML, dvc.yaml) that trains the challenger itself. The trainer writes the window's
 * training and evaluation rows as CSV files where the pipeline reads them (its deps), runs it, and
 * takes the version of `model` it registered as the challenger, then gates and rolls out as usual.
 */
export interface PipelineTrainer {
  file: string;
  /** CSV of the training rows (features and target), written before each run. */
  trainData: string;
  /** CSV of the evaluation rows (the newest labelled days); optional for the pipeline to read. */
  evaluationData?: string;
}

export type RetrainingOutcome = 'promoted' | 'rejected' | 'skipped' | 'failed' | 'canary' | 'rolled-back';

/** One decision of the continuous trainer, with its reason: the audit trail of the loop. */
export interface RetrainingEvent {
  id: number;
  deployment: string;
  /** When it happened, on the trainer's clock (simulated in a replay). */
  at: number;
  /** What asked for it: `schedule`, `alert:<rule>`, `manual:<user>`. */
  trigger: string;
  outcome: RetrainingOutcome;
  /** Why, in a sentence. */
  reason: string;
  runId: string | null;
  /** The challenger's registered version (promoted or not). */
  version: number | null;
  /** The champion it was compared with. */
  championVersion: number | null;
  detail: Record<string, unknown>;
}

export type NewRetrainingEvent = Omit<RetrainingEvent, 'id'>;
