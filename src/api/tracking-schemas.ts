/**
 * JSON Schemas of the native tracking API's request bodies. Fastify validates requests against them
 * (wrong types and missing fields become 400 INVALID_ARGUMENT naming the field) before any service
 * code runs; semantic limits are then checked by TrackingService.
 */
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const keyValueList = { type: 'array', items: { type: 'object', required: ['key', 'value'], properties: { key: str, value: str } } } as const;

export const createExperimentBody = {
  type: 'object',
  required: ['name'],
  properties: { name: str, artifactLocation: str, tags: keyValueList },
} as const;

export const renameExperimentBody = { type: 'object', required: ['name'], properties: { name: str } } as const;
export const tagValueBody = { type: 'object', required: ['value'], properties: { value: str } } as const;

export const createRunBody = {
  type: 'object',
  properties: { experimentId: str, userId: str, runName: str, startTime: int, tags: keyValueList, parentRunId: str },
} as const;

export const updateRunBody = {
  type: 'object',
  properties: { status: { enum: ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] }, endTime: int, runName: str },
} as const;

export const logBatchBody = {
  type: 'object',
  properties: {
    metrics: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'value', 'timestamp'],
        properties: { key: str, value: { type: ['number', 'string'] }, timestamp: int, step: int },
      },
    },
    params: keyValueList,
    tags: keyValueList,
  },
} as const;

export const logInputsBody = {
  type: 'object',
  required: ['datasets'],
  properties: {
    datasets: {
      type: 'array',
      items: {
        type: 'object',
        required: ['dataset'],
        properties: {
          tags: keyValueList,
          dataset: {
            type: 'object',
            required: ['name', 'digest', 'sourceType', 'source'],
            properties: { name: str, digest: str, sourceType: str, source: str, schema: str, profile: str },
          },
        },
      },
    },
  },
} as const;

export const searchRunsBody = {
  type: 'object',
  required: ['experimentIds'],
  properties: {
    experimentIds: { type: 'array', items: str },
    filter: str,
    runViewType: { enum: ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] },
    maxResults: int,
    orderBy: { type: 'array', items: str },
    pageToken: str,
  },
} as const;
