/** Persistence of the inference log. One interface, every backend; contract in inference-log-store.contract.ts. */
import type { InferenceRecord, LabelInput, LabeledRecord, ReadWindowInput } from './entities.js';

export interface InferenceLogStore {
  /** Appends records in one transaction (the writer hands over its buffer). */
  append(records: InferenceRecord[]): Promise<void>;
  /** Records (or replaces) ground-truth labels by request id; returns how many were new. */
  putLabels(deployment: string, labels: LabelInput[]): Promise<number>;
  /** Records of a time window, oldest first, labels joined. */
  readWindow(input: ReadWindowInput): Promise<LabeledRecord[]>;
  /** How many records a window holds, by variant. */
  count(deployment: string, from: number, to: number): Promise<{ primary: number; shadow: number }>;
}
