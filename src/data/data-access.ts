/**
 * What users can do with data, local or remote: DataService implements it over the embedded
 * stores, RestDataAccess over a Gyre server, so SDK and CLI code is the same either way.
 */
import type { DatasetSummary, DatasetVersion, ReadOptions } from './entities.js';
import type { ExpectationSuite } from './expectations.js';
import type { DatasetDiff } from './dataset-diff.js';
import type { ValidationReport } from './validation-report.js';

export interface AddDatasetInput {
  /** Dataset name: letters, digits, `.`, `_`, `-`. */
  name: string;
  /** A local path or glob (on the server's machine when remote), or a `file://` URL. */
  source: string;
  readOptions?: ReadOptions;
  tags?: Record<string, string>;
  createdBy?: string;
}

export interface AddDatasetResult {
  version: DatasetVersion;
  /** False when identical content was already a version of this dataset. */
  created: boolean;
}

export interface DataAccess {
  add(input: AddDatasetInput): Promise<AddDatasetResult>;
  list(): Promise<DatasetSummary[]>;
  versions(name: string): Promise<DatasetVersion[]>;
  /** `NAME@N`, `NAME@<digest prefix>`, `NAME@latest` or `NAME`. */
  get(ref: string): Promise<DatasetVersion>;
  diff(fromRef: string, toRef: string): Promise<DatasetDiff>;
  inferSuite(ref: string, suiteName?: string): Promise<ExpectationSuite>;
  validate(ref: string, suite: ExpectationSuite): Promise<ValidationReport>;
}
