/**
 * Deployments: a named endpoint with a traffic policy over model versions or aliases (Seldon's and
 * KServe's vocabulary). The OIP model name is the deployment's name.
 */

/** A model reference: `NAME@ALIAS` follows the alias as it moves; `NAME/VERSION` pins a version. */
export type ModelRef = string;

export interface Variant {
  /** Name reported in metrics and the inference log: `stable`, `canary`, or an A/B arm's name. */
  name: string;
  model: ModelRef;
  /** Share of traffic, 0-100; the variants' weights sum to 100. */
  weight: number;
}

export interface ShadowSpec {
  model: ModelRef;
  /** Share of requests mirrored to the shadow, 0-100. Its answers are logged, never returned. */
  percent: number;
}

export type Strategy = 'single' | 'canary' | 'ab';

export interface DeploymentSpec {
  strategy: Strategy;
  variants: Variant[];
  shadow?: ShadowSpec;
  /**
   * A/B and canary: requests carrying this header always get the same variant (hash of its value),
   * so one user keeps one variant. Without the header, the pick is random per request.
   */
  stickyHeader?: string;
  /** Batching, per deployment, off by default. */
  batching?: { maxBatchRows: number; maxQueueDelayMs: number };
  /** Share of primary requests written to the inference log, 0..1 (default 1). */
  logSampleRate?: number;
}

export interface Deployment {
  name: string;
  spec: DeploymentSpec;
  createdAt: number;
  updatedAt: number;
}

/** One change to a deployment: who, when, what, and the spec before and after. */
export interface DeploymentChange {
  deployment: string;
  at: number;
  user: string;
  action: string;
  reason: string | null;
  before: DeploymentSpec | null;
  after: DeploymentSpec | null;
}
