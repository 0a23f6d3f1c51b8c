/**
 * `gyre-model.json`, the manifest beside `model.onnx` (DESIGN.md §4): what the model predicts, the
 * raw features it takes in order and how they map onto the graph's input tensors, its outputs, an
 * input example, metrics and lineage. docs/model-package.md is its reference.
 */
import type { OipDatatype } from '../serving/oip/datatypes.js';

export type FeatureType = 'number' | 'integer' | 'string' | 'boolean';

export interface FeatureSpec {
  name: string;
  type: FeatureType;
  /** The graph input this feature feeds. */
  tensor: string;
  /** Its column in a `[N, k]` input; absent when the feature has a `[N, 1]` (or `[N]`) input of its own. */
  column?: number;
  /** Allowed values of a categorical feature, as seen in training. */
  categories?: (string | number)[];
  /** What an unseen category does: 'error' refuses the request (400), 'allow' passes it to the model. */
  unknownCategory?: 'error' | 'allow';
  /** Documentation of the preprocessing inside the graph (imputation, encoding), for people and model cards. */
  preprocessing?: string;
}

export interface OutputSpec {
  name: string;
  datatype: OipDatatype;
  shape: number[];
  role?: 'prediction' | 'probabilities' | 'label' | 'other';
  classLabels?: (string | number)[];
}

export interface DatasetRef {
  name: string;
  version?: string | number;
  digest: string;
}

export interface Lineage {
  runId: string | null;
  datasetVersions: DatasetRef[];
  codeVersion: { gitCommit: string; dirty: boolean } | null;
  /** The model version this one was derived from (e.g. the champion it retrained), `NAME/VERSION`. */
  parentModel: string | null;
}

export interface GyreModelManifest {
  formatVersion: 1;
  name: string;
  task: 'classification' | 'regression' | 'other';
  description?: string;
  inputs: FeatureSpec[];
  outputs: OutputSpec[];
  inputExample: Record<string, unknown>[] | null;
  metrics: Record<string, number>;
  lineage: Lineage;
  createdAt: string;
  gyreVersion: string;
  /** The package's content digest (`sha256:…`); absent until the package is built. */
  digest?: string;
}
