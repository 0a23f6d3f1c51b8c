/**
 * What users can do with data, local or remote: DataService implements it over the embedded
 * stores, RestDataAccess over a Gyre server, so SDK and CLI code is the same either way.
 */
import type { DatasetSummary, DatasetVersion, Profile, ReadOptions } from './entities.js';
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
  /**
   * Adds a file or glob as a version identified by its content; the same content again returns the
   * existing version with `created: false`.
   * @example const { version } = await gyre.data.add({ name: 'adult', source: 'adult.data', readOptions: { trim: true, nullValues: ['?'] } })
   */
  add(input: AddDatasetInput): Promise<AddDatasetResult>;
  /** Datasets with their latest version. @example const datasets = await gyre.data.list() */
  list(): Promise<DatasetSummary[]>;
  /** Versions of one dataset, newest first. @example const versions = await gyre.data.versions('adult') */
  versions(name: string): Promise<DatasetVersion[]>;
  /**
   * One version with its schema and profile: `NAME@N`, `NAME@<digest prefix>`, `NAME@latest` or `NAME`.
   * @example const v = await gyre.data.get('adult@latest')
   */
  get(ref: string): Promise<DatasetVersion>;
  /**
   * A version's stored profile, e.g. as a drift reference: no data is re-read.
   * @example const reference = await gyre.data.profile('adult@3')
   */
  profile(ref: string): Promise<Profile>;
  /** What changed between two versions, from their profiles. @example const d = await gyre.data.diff('adult@1', 'adult@2') */
  diff(fromRef: string, toRef: string): Promise<DatasetDiff>;
  /** A starting suite from a version's profile, for review. @example const s = await gyre.data.inferSuite('adult@1') */
  inferSuite(ref: string, suiteName?: string): Promise<ExpectationSuite>;
  /**
   * Validates a version against a suite; `report.success` is false when an error-severity expectation fails.
   * @example const report = await gyre.data.validate('adult@latest', suite('adult').notNull('age').build())
   */
  validate(ref: string, suite: ExpectationSuite): Promise<ValidationReport>;
}
