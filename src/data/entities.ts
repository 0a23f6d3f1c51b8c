/**
 * The data domain's entities: datasets, their content-addressed versions, profiles and the options
 * used to read them. Versions are immutable; everything here is plain JSON so it travels unchanged
 * through the SQL store, the REST API and the SDK.
 */

export type DataFormat = 'csv' | 'parquet' | 'json' | 'ndjson';

/** How the bytes are parsed. Recorded with the version so it is always re-read the same way. */
export interface ReadOptions {
  /** Default: from the file extension (`.csv`/`.tsv`/`.txt` csv, `.parquet`, `.json`, `.jsonl`/`.ndjson`). */
  format?: DataFormat;
  /** CSV: the first line names the columns (default true). */
  header?: boolean;
  /** CSV: column names when there is no header (or to rename them). */
  columns?: string[];
  /** CSV field separator (default `,`). */
  delimiter?: string;
  /** CSV quote character (default `"`). */
  quote?: string;
  /** CSV: lines to skip before the header (default 0). */
  skip?: number;
  /** CSV text encoding: `utf-8` (default), `utf-16` or `latin-1`. */
  encoding?: 'utf-8' | 'utf-16' | 'latin-1';
  /** Values read as missing, compared after trimming when `trim` is on (default: none besides empty CSV fields). */
  nullValues?: string[];
  /** Strip leading/trailing whitespace from text values (default false). */
  trim?: boolean;
}

/** The logical column types Gyre reports, whatever the file format's own types are. */
export type ColumnType = 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'string';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
}

export interface DataFile {
  /** Path relative to the added glob's base folder (the file name for a single file). */
  name: string;
  digest: string;
  size: number;
}

export interface ValueCount {
  value: string | number | boolean | null;
  count: number;
}

export interface HistogramBin {
  /** Inclusive lower edge; the last bin also includes its upper edge. */
  lower: number;
  upper: number;
  count: number;
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Non-missing values. */
  count: number;
  missing: number;
  missingShare: number;
  distinct: number;
  /** Set when `distinct` is a HyperLogLog estimate (high-cardinality numeric, date and time columns). */
  distinctApproximate?: boolean;
  min?: number | string | null;
  max?: number | string | null;
  mean?: number | null;
  std?: number | null;
  /** Approximate quantiles keyed `p01`, `p05`, `p25`, `p50`, `p75`, `p95`, `p99` (numeric columns). */
  quantiles?: Record<string, number>;
  /** Ten equal-width bins between min and max (numeric columns). */
  histogram?: HistogramBin[];
  /** Most frequent values with counts, up to 50 (string and boolean columns). */
  topValues?: ValueCount[];
  /** Lengths of the text values (string columns). */
  lengths?: { min: number; max: number; mean: number };
}

export interface Profile {
  rowCount: number;
  duplicateRows: number;
  columns: ColumnProfile[];
}

export interface DatasetVersion {
  name: string;
  /** Sequence number within the dataset, from 1. */
  version: number;
  /** `sha256:<hex>`: the content digest that identifies this version. */
  digest: string;
  /** Where the data was added from, as the user gave it (path or glob). */
  source: string;
  readOptions: ReadOptions & { format: DataFormat };
  files: DataFile[];
  rowCount: number;
  schema: ColumnSchema[];
  profile: Profile;
  createdBy: string;
  createdAt: number;
  tags: Record<string, string>;
}

export interface DatasetSummary {
  name: string;
  createdAt: number;
  versionCount: number;
  latest: { version: number; digest: string; createdAt: number; rowCount: number } | null;
}

/** A version before the store numbers it. */
export type NewDatasetVersion = Omit<DatasetVersion, 'version'>;
