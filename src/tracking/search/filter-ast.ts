/**
 * The syntax trees of the search filter languages: runs (MLflow's `search_runs` filter) and
 * experiments (MLflow's `search_experiments` filter), both extended with OR, parentheses and
 * IN / NOT IN, plus the closed vocabularies of attribute and dataset keys. The vocabularies live
 * here rather than in the parsers because every backend that evaluates a filter must map exactly
 * these keys and no others.
 */

/** The entity a comparison looks at, after normalising MLflow's prefix spellings. */
export type EntityType = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

/** Run attributes compared as strings, in their canonical spelling. */
export const STRING_ATTRIBUTES = [
  'run_id',
  'run_name',
  'status',
  'user_id',
  'artifact_uri',
  'lifecycle_stage',
] as const;
export type StringAttribute = (typeof STRING_ATTRIBUTES)[number];

/** Run attributes compared as numbers (epoch milliseconds), in their canonical spelling. */
export const NUMERIC_ATTRIBUTES = ['start_time', 'end_time'] as const;
export type NumericAttribute = (typeof NUMERIC_ATTRIBUTES)[number];

/** Alternative attribute spellings MLflow accepts, mapped to the canonical key. */
export const ATTRIBUTE_ALIASES: Readonly<Record<string, StringAttribute | NumericAttribute>> = {
  created: 'start_time',
  Created: 'start_time',
};

/** Dataset fields; `context` is the run's input context, the others belong to the dataset. */
export const DATASET_KEYS = ['name', 'digest', 'context'] as const;
export type DatasetKey = (typeof DATASET_KEYS)[number];

/** A field holding numbers: a metric's latest value or a timestamp attribute. */
export type NumericField =
  | { type: 'metric'; key: string }
  | { type: 'attribute'; key: NumericAttribute };

/** A field holding strings. */
export type StringField =
  | { type: 'param' | 'tag'; key: string }
  | { type: 'attribute'; key: StringAttribute }
  | { type: 'dataset'; key: DatasetKey };

export type NumericOperator = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type StringOperator = '=' | '!=' | 'LIKE' | 'ILIKE';
export type ListOperator = 'IN' | 'NOT IN';

export interface NumericComparison<F = NumericField> {
  kind: 'numeric';
  field: F;
  op: NumericOperator;
  value: number;
}

export interface StringComparison<F = StringField> {
  kind: 'string';
  field: F;
  op: StringOperator;
  /** For LIKE/ILIKE, a pattern: `%` and `_` are wildcards, `\` escapes the next character. */
  value: string;
}

export interface ListComparison<F = StringField> {
  kind: 'list';
  field: F;
  op: ListOperator;
  /** Never empty. */
  values: string[];
}

export type Comparison = NumericComparison | StringComparison | ListComparison;

/**
 * AND/OR over two or more operands; nested runs of the same connective are flattened. Generic in
 * the comparison type so both languages share one tree shape and one parser skeleton.
 */
export interface LogicalExpr<C = Comparison> {
  kind: 'and' | 'or';
  operands: Array<C | LogicalExpr<C>>;
}

export type FilterExpr = Comparison | LogicalExpr;

/** One `order_by` clause. Datasets are not orderable, hence the narrower type. */
export interface OrderKey {
  type: Exclude<EntityType, 'dataset'>;
  /** For attributes, the canonical key (e.g. `created` becomes `start_time`). */
  key: string;
  ascending: boolean;
}

/** Experiment attributes a filter can compare as strings. */
export const EXPERIMENT_STRING_ATTRIBUTES = ['name'] as const;
export type ExperimentStringAttribute = (typeof EXPERIMENT_STRING_ATTRIBUTES)[number];

/** Experiment attributes a filter can compare as numbers (epoch milliseconds). */
export const EXPERIMENT_NUMERIC_ATTRIBUTES = ['creation_time', 'last_update_time'] as const;
export type ExperimentNumericAttribute = (typeof EXPERIMENT_NUMERIC_ATTRIBUTES)[number];

/** Experiment attributes `order_by` accepts; unlike the filter, it knows `experiment_id`. */
export const EXPERIMENT_ORDER_ATTRIBUTES = ['name', 'experiment_id', 'creation_time', 'last_update_time'] as const;
export type ExperimentOrderAttribute = (typeof EXPERIMENT_ORDER_ATTRIBUTES)[number];

export type ExperimentStringField = { type: 'attribute'; key: ExperimentStringAttribute } | { type: 'tag'; key: string };
export type ExperimentNumericField = { type: 'attribute'; key: ExperimentNumericAttribute };

export type ExperimentComparison =
  | NumericComparison<ExperimentNumericField>
  | StringComparison<ExperimentStringField>
  | ListComparison<ExperimentStringField>;

export type ExperimentFilterExpr = ExperimentComparison | LogicalExpr<ExperimentComparison>;

/** One experiments `order_by` clause; only attributes are orderable, as in MLflow. */
export interface ExperimentOrderKey {
  key: ExperimentOrderAttribute;
  ascending: boolean;
}
