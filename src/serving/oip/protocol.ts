/** Open Inference Protocol v2 REST message shapes (the KServe/Triton/MLServer "v2" protocol). */
import type { OipDatatype } from './datatypes.js';

export type Parameters = Record<string, string | number | boolean>;

export interface RequestInput {
  name: string;
  shape: number[];
  datatype: OipDatatype;
  parameters?: Parameters;
  data: unknown;
}

export interface RequestOutput {
  name: string;
  parameters?: Parameters;
}

export interface InferenceRequest {
  id?: string;
  parameters?: Parameters;
  inputs: RequestInput[];
  outputs?: RequestOutput[];
}

export interface ResponseOutput {
  name: string;
  shape: number[];
  datatype: OipDatatype;
  parameters?: Parameters;
  data: unknown[];
}

export interface InferenceResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: Parameters;
  outputs: ResponseOutput[];
}

export interface TensorMetadata {
  name: string;
  datatype: OipDatatype;
  /** -1 for a dimension the model leaves open (batch size, sequence length). */
  shape: number[];
}

export interface ModelMetadata {
  name: string;
  versions?: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}
