/**
 * MLflow REST API 2.0 tracking endpoints, served under /api/2.0/mlflow and /ajax-api/2.0/mlflow.
 * Each entry maps MLflow's request message to a TrackingService call and back to MLflow's wire
 * shape. GET endpoints read the query string, the rest a JSON body, as MLflow's server does.
 */
import type { TrackingService } from '../../tracking/tracking-service.js';
import type { RunArtifacts } from '../../tracking/run-artifacts.js';
import type { ResponseCache } from '../response-cache.js';
import type { ViewType } from '../../tracking/entities.js';
import { invalidArgument } from '../../core/errors.js';
import { LIMITS } from '../../tracking/limits.js';
import {
  datasetInputsFromWire,
  experimentToWire,
  metricsFromWire,
  optInt64,
  optString,
  optStringList,
  paramsFromWire,
  reqDouble,
  reqString,
  runInfoToWire,
  runToWire,
  tagsFromWire,
} from './wire.js';

type Json = Record<string, unknown>;
/** Who makes an MLflow request: X-Gyre-User until authentication lands, else 'anonymous'. */
export interface MlflowContext {
  user: string;
}

export interface MlflowRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** Body limit in bytes when MLflow sets one for the endpoint. */
  bodyLimit?: number;
  /** The response body: an object, or JSON already serialised (text or UTF-8 bytes). */
  handle(req: Json, ctx: MlflowContext): Promise<Json | string | Buffer>;
}

const VIEW_TYPES: Record<string, ViewType> = { '1': 'ACTIVE_ONLY', '2': 'DELETED_ONLY', '3': 'ALL', ACTIVE_ONLY: 'ACTIVE_ONLY', DELETED_ONLY: 'DELETED_ONLY', ALL: 'ALL' };

function viewType(req: Json, field: string): ViewType | undefined {
  const v = req[field];
  if (v === undefined || v === null) return undefined;
  const mapped = VIEW_TYPES[String(v)];
  if (!mapped) throw invalidArgument(`Invalid value ${JSON.stringify(v)} for parameter '${field}': use ACTIVE_ONLY, DELETED_ONLY or ALL.`, { field });
  return mapped;
}

/** MLflow accepts the deprecated run_uuid wherever run_id is expected. */
const runIdOf = (req: Json): string => optString(req, 'run_id') || reqString(req, 'run_uuid');

const MLMODEL_REQUIRED_FIELDS = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'];

const withPage = (token: string | null, body: Json): Json => (token ? { ...body, next_page_token: token } : body);

export function mlflowTrackingRoutes(tracking: TrackingService, artifacts: RunArtifacts, cache: ResponseCache): MlflowRoute[] {
  return [
    {
      method: 'POST',
      path: 'experiments/create',
      handle: async (req) => {
        const artifactLocation = optString(req, 'artifact_location');
        const id = await tracking.createExperiment({ name: reqString(req, 'name'), tags: tagsFromWire(req), ...(artifactLocation ? { artifactLocation } : {}) });
        return { experiment_id: id };
      },
    },
    { method: 'GET', path: 'experiments/get', handle: async (req) => ({ experiment: experimentToWire(await tracking.getExperiment(reqString(req, 'experiment_id'))) }) },
    {
      method: 'GET',
      path: 'experiments/get-by-name',
      handle: async (req) => ({ experiment: experimentToWire(await tracking.getExperimentByName(reqString(req, 'experiment_name'))) }),
    },
    ...(['GET', 'POST'] as const).map(
      (method): MlflowRoute => ({
        method,
        path: 'experiments/search',
        handle: async (req) => {
          const page = await tracking.searchExperiments({
            ...(optString(req, 'filter') ? { filter: optString(req, 'filter') } : {}),
            ...(optStringList(req, 'order_by') ? { orderBy: optStringList(req, 'order_by') } : {}),
            ...(optString(req, 'page_token') ? { pageToken: optString(req, 'page_token') } : {}),
            ...(viewType(req, 'view_type') ? { viewType: viewType(req, 'view_type') } : {}),
            ...(optInt64(req, 'max_results') !== undefined ? { maxResults: optInt64(req, 'max_results') } : {}),
          });
          return withPage(page.nextPageToken, page.items.length ? { experiments: page.items.map(experimentToWire) } : {});
        },
      }),
    ),
    {
      method: 'POST',
      path: 'experiments/update',
      handle: async (req) => {
        const newName = optString(req, 'new_name');
        if (newName) await tracking.renameExperiment(reqString(req, 'experiment_id'), newName);
        else await tracking.getExperiment(reqString(req, 'experiment_id'));
        return {};
      },
    },
    { method: 'POST', path: 'experiments/delete', handle: async (req) => (await tracking.deleteExperiment(reqString(req, 'experiment_id')), {}) },
    { method: 'POST', path: 'experiments/restore', handle: async (req) => (await tracking.restoreExperiment(reqString(req, 'experiment_id')), {}) },
    {
      method: 'POST',
      path: 'experiments/set-experiment-tag',
      handle: async (req) => (await tracking.setExperimentTag(reqString(req, 'experiment_id'), reqString(req, 'key'), optString(req, 'value') ?? ''), {}),
    },
    {
      method: 'POST',
      path: 'experiments/delete-experiment-tag',
      handle: async (req) => (await tracking.deleteExperimentTag(reqString(req, 'experiment_id'), reqString(req, 'key')), {}),
    },
    {
      method: 'POST',
      path: 'runs/create',
      handle: async (req) => {
        const run = await tracking.createRun({
          experimentId: optString(req, 'experiment_id') || '0',
          tags: tagsFromWire(req),
          ...(optString(req, 'user_id') ? { userId: optString(req, 'user_id') } : {}),
          ...(optString(req, 'run_name') ? { runName: optString(req, 'run_name') } : {}),
          ...(optInt64(req, 'start_time') !== undefined ? { startTime: optInt64(req, 'start_time') } : {}),
        });
        return { run: runToWire(run) };
      },
    },
    { method: 'GET', path: 'runs/get', handle: async (req) => ({ run: runToWire(await tracking.getRun(runIdOf(req))) }) },
    {
      method: 'POST',
      path: 'runs/update',
      handle: async (req) => {
        const status = optString(req, 'status');
        const endTime = optInt64(req, 'end_time');
        const runName = optString(req, 'run_name');
        const info = await tracking.updateRun(runIdOf(req), {
          ...(status ? { status: status as never } : {}),
          ...(endTime !== undefined ? { endTime } : {}),
          ...(runName ? { runName } : {}),
        });
        return { run_info: runInfoToWire(info) };
      },
    },
    { method: 'POST', path: 'runs/delete', handle: async (req) => (await tracking.deleteRun(reqString(req, 'run_id')), {}) },
    { method: 'POST', path: 'runs/restore', handle: async (req) => (await tracking.restoreRun(reqString(req, 'run_id')), {}) },
    ...(['GET', 'POST'] as const).map(
      (method): MlflowRoute => ({
        method,
        path: 'runs/search',
        handle: async (req) =>
          cache.getOrCompute(`mlflow runs/search ${JSON.stringify(req)}`, await tracking.dataVersion(), async () => {
            const page = await tracking.searchRuns({
              experimentIds: optStringList(req, 'experiment_ids') ?? [],
              ...(optString(req, 'filter') ? { filter: optString(req, 'filter') } : {}),
              ...(optStringList(req, 'order_by') ? { orderBy: optStringList(req, 'order_by') } : {}),
              ...(optString(req, 'page_token') ? { pageToken: optString(req, 'page_token') } : {}),
              ...(viewType(req, 'run_view_type') ? { runViewType: viewType(req, 'run_view_type') } : {}),
              ...(optInt64(req, 'max_results') !== undefined ? { maxResults: optInt64(req, 'max_results') } : {}),
            });
            return Buffer.from(JSON.stringify(withPage(page.nextPageToken, page.items.length ? { runs: page.items.map(runToWire) } : {})));
          }),
      }),
    ),
    {
      method: 'POST',
      path: 'runs/log-metric',
      handle: async (req) => {
        const timestamp = optInt64(req, 'timestamp');
        if (timestamp === undefined) throw invalidArgument("Missing value for required parameter 'timestamp'.", { field: 'timestamp' });
        await tracking.logBatch(runIdOf(req), { metrics: [{ key: reqString(req, 'key'), value: reqDouble(req, 'value'), timestamp, step: optInt64(req, 'step') ?? 0 }] });
        return {};
      },
    },
    {
      method: 'POST',
      path: 'runs/log-parameter',
      handle: async (req) => (await tracking.logParam(runIdOf(req), reqString(req, 'key'), optString(req, 'value') ?? ''), {}),
    },
    { method: 'POST', path: 'runs/set-tag', handle: async (req) => (await tracking.setTag(runIdOf(req), reqString(req, 'key'), optString(req, 'value') ?? ''), {}) },
    { method: 'POST', path: 'runs/delete-tag', handle: async (req) => (await tracking.deleteTag(reqString(req, 'run_id'), reqString(req, 'key')), {}) },
    {
      method: 'POST',
      path: 'runs/log-batch',
      bodyLimit: LIMITS.maxBatchRequestBytes,
      handle: async (req) => {
        await tracking.logBatch(reqString(req, 'run_id'), { metrics: metricsFromWire(req), params: paramsFromWire(req), tags: tagsFromWire(req) });
        return {};
      },
    },
    {
      method: 'POST',
      path: 'runs/log-inputs',
      handle: async (req) => (await tracking.logInputs(reqString(req, 'run_id'), datasetInputsFromWire(req)), {}),
    },
    {
      // Autologging records each logged model here; MLflow's SQL store keeps them in this tag.
      method: 'POST',
      path: 'runs/log-model',
      handle: async (req) => {
        const runId = reqString(req, 'run_id');
        let model: unknown;
        try {
          model = JSON.parse(reqString(req, 'model_json'));
        } catch {
          throw invalidArgument("'model_json' must be a JSON document describing the model (MLmodel as JSON).", { field: 'model_json' });
        }
        // MLflow's server refuses an MLmodel without these (mlflow/server/handlers.py _log_model).
        const missing = MLMODEL_REQUIRED_FIELDS.filter((f) => !model || typeof model !== 'object' || Array.isArray(model) || !(f in model));
        if (missing.length) {
          throw invalidArgument(`'model_json' is missing the MLmodel fields ${missing.join(', ')}.`, { field: 'model_json', missing });
        }
        const run = await tracking.getRun(runId);
        const prior = run.data.tags.find((t) => t.key === 'mlflow.log-model.history')?.value;
        const history = prior ? (JSON.parse(prior) as unknown[]) : [];
        history.push(model);
        await tracking.setTag(runId, 'mlflow.log-model.history', JSON.stringify(history));
        return {};
      },
    },
    {
      method: 'GET',
      path: 'metrics/get-history',
      handle: async (req) =>
        cache.getOrCompute(`mlflow metrics/get-history ${JSON.stringify(req)}`, await tracking.dataVersion(), async () => {
          const maxResults = optInt64(req, 'max_results');
          const pageToken = optString(req, 'page_token');
          const page = await tracking.getMetricHistoryJson(runIdOf(req), reqString(req, 'metric_key'), {
            ...(maxResults !== undefined ? { maxResults } : {}),
            ...(pageToken ? { pageToken } : {}),
          });
          // Long histories arrive as JSON bytes from the database and are sent as such.
          const token = page.nextPageToken ? `"next_page_token":${JSON.stringify(page.nextPageToken)}` : '';
          if (page.count === 0) return Buffer.from(token ? `{${token}}` : '{}');
          return Buffer.concat([Buffer.from('{"metrics":'), page.json, Buffer.from(token ? `,${token}}` : '}')]);
        }),
    },
    {
      method: 'GET',
      path: 'artifacts/list',
      handle: async (req) => {
        const { rootUri, files } = await artifacts.list(runIdOf(req), optString(req, 'path') ?? '');
        const wireFiles = files.map((f) => (f.isDir ? { path: f.path, is_dir: true } : { path: f.path, is_dir: false, file_size: f.size ?? 0 }));
        return wireFiles.length ? { root_uri: rootUri, files: wireFiles } : { root_uri: rootUri };
      },
    },
  ];
}
