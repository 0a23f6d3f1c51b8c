/**
 * The inference log (DESIGN.md §4): served predictions, sampled, with what monitoring needs —
 * request id, time, model version, inputs, outputs, latency — and ground-truth labels that arrive
 * later, joined by request id. Labels live in their own table, so a label may arrive before its
 * prediction is written (the log is written behind the response) and still join.
 */

/** Which traffic a record came from: the answer returned, or a shadow model's answer (never returned). */
export type Variant = 'primary' | 'shadow';

export interface InferenceRecord {
  deployment: string;
  requestId: string;
  /** Epoch milliseconds when the request arrived. */
  timestamp: number;
  modelName: string;
  modelVersion: string;
  variant: Variant;
  /** Feature records as sent (records endpoint) or `{tensorName: data}` (OIP). */
  inputs: unknown;
  outputs: unknown;
  latencyMs: number;
  /**
   * On append only: the request body as received, when the transport has it — stored instead of
   * `inputs` (which is then not computed) and decoded into the same inputs when read.
   */
  request?: { endpoint: 'oip' | 'records'; json: string };
}

export interface LabeledRecord extends InferenceRecord {
  label: unknown | null;
  labelTimestamp: number | null;
}

export interface LabelInput {
  requestId: string;
  label: unknown;
  timestamp?: number;
}

export interface ReadWindowInput {
  deployment: string;
  /** Inclusive start and exclusive end, epoch ms. */
  from: number;
  to: number;
  modelVersion?: string;
  variant?: Variant;
  /** Only records whose label has arrived. */
  labeledOnly?: boolean;
  limit?: number;
}
