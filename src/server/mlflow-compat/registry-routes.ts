/**
 * MLflow REST API 2.0 model registry endpoints under /api/2.0/mlflow (and /ajax-api/2.0/mlflow),
 * mapped onto RegistryService. Wire details as MLflow: PATCH and DELETE take JSON bodies, versions
 * are strings, an unknown alias is INVALID_PARAMETER_VALUE.
 */
import type { RegistryService } from '../../registry/registry-service.js';
import type { MlflowRoute } from './tracking-routes.js';
import { optString, optStringList, reqString, tagsFromWire, optInt64 } from './wire.js';
import { modelToWire, versionToWire } from './registry-wire.js';
import { invalidArgument } from '../../core/errors.js';

type Json = Record<string, unknown>;

function optBool(req: Json, field: string): boolean | undefined {
  const v = req[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw invalidArgument(`Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected true or false.`, { field });
}

const search = (req: Json) => {
  const max = optInt64(req, 'max_results');
  const filter = optString(req, 'filter');
  const orderBy = optStringList(req, 'order_by');
  const pageToken = optString(req, 'page_token');
  return { ...(filter ? { filter } : {}), ...(orderBy ? { orderBy } : {}), ...(max !== undefined ? { maxResults: max } : {}), ...(pageToken ? { pageToken } : {}) };
};

export function mlflowRegistryRoutes(registry: RegistryService): MlflowRoute[] {
  const version = (req: Json) => reqString(req, 'version');
  return [
    {
      method: 'POST',
      path: 'registered-models/create',
      handle: async (req, ctx) => ({
        registered_model: modelToWire(await registry.createModel({ name: reqString(req, 'name'), description: optString(req, 'description') ?? '', tags: tagsFromWire(req) }, ctx)),
      }),
    },
    { method: 'GET', path: 'registered-models/get', handle: async (req) => ({ registered_model: modelToWire(await registry.getModel(reqString(req, 'name'))) }) },
    {
      method: 'POST',
      path: 'registered-models/rename',
      handle: async (req, ctx) => ({ registered_model: modelToWire(await registry.renameModel(reqString(req, 'name'), reqString(req, 'new_name'), ctx)) }),
    },
    {
      method: 'PATCH',
      path: 'registered-models/update',
      handle: async (req, ctx) => ({ registered_model: modelToWire(await registry.updateModel(reqString(req, 'name'), optString(req, 'description') ?? '', ctx)) }),
    },
    {
      method: 'DELETE',
      path: 'registered-models/delete',
      handle: async (req, ctx) => {
        await registry.deleteModel(reqString(req, 'name'), ctx);
        return {};
      },
    },
    {
      method: 'GET',
      path: 'registered-models/search',
      handle: async (req) => {
        const page = await registry.searchModels(search(req));
        return { registered_models: page.items.map(modelToWire), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
      },
    },
    ...(['GET', 'POST'] as const).map(
      (method): MlflowRoute => ({
        method,
        path: 'registered-models/get-latest-versions',
        handle: async (req) => {
          const stages = optStringList(req, 'stages');
          const versions = await registry.latestVersions(reqString(req, 'name'), stages);
          return versions.length ? { model_versions: versions.map(versionToWire) } : {};
        },
      }),
    ),
    {
      method: 'POST',
      path: 'registered-models/set-tag',
      handle: async (req, ctx) => {
        await registry.setModelTag(reqString(req, 'name'), reqString(req, 'key'), optString(req, 'value') ?? '', ctx);
        return {};
      },
    },
    {
      method: 'DELETE',
      path: 'registered-models/delete-tag',
      handle: async (req, ctx) => {
        await registry.deleteModelTag(reqString(req, 'name'), reqString(req, 'key'), ctx);
        return {};
      },
    },
    {
      method: 'POST',
      path: 'registered-models/alias',
      handle: async (req, ctx) => {
        await registry.setAlias(reqString(req, 'name'), reqString(req, 'alias'), version(req), ctx);
        return {};
      },
    },
    {
      method: 'DELETE',
      path: 'registered-models/alias',
      handle: async (req, ctx) => {
        await registry.deleteAlias(reqString(req, 'name'), reqString(req, 'alias'), ctx);
        return {};
      },
    },
    {
      method: 'GET',
      path: 'registered-models/alias',
      handle: async (req) => ({ model_version: versionToWire(await registry.getVersionByAlias(reqString(req, 'name'), reqString(req, 'alias'))) }),
    },
    {
      method: 'POST',
      path: 'model-versions/create',
      handle: async (req, ctx) => ({
        model_version: versionToWire(
          await registry.createVersion(
            {
              name: reqString(req, 'name'),
              source: reqString(req, 'source'),
              runId: optString(req, 'run_id') || null,
              runLink: optString(req, 'run_link') || null,
              description: optString(req, 'description') ?? '',
              tags: tagsFromWire(req),
            },
            ctx,
          ),
        ),
      }),
    },
    { method: 'GET', path: 'model-versions/get', handle: async (req) => ({ model_version: versionToWire(await registry.getVersion(reqString(req, 'name'), version(req))) }) },
    {
      method: 'PATCH',
      path: 'model-versions/update',
      handle: async (req, ctx) => ({ model_version: versionToWire(await registry.updateVersion(reqString(req, 'name'), version(req), optString(req, 'description') ?? '', ctx)) }),
    },
    {
      method: 'DELETE',
      path: 'model-versions/delete',
      handle: async (req, ctx) => {
        await registry.deleteVersion(reqString(req, 'name'), version(req), ctx);
        return {};
      },
    },
    {
      method: 'GET',
      path: 'model-versions/search',
      handle: async (req) => {
        const page = await registry.searchVersions(search(req));
        return { model_versions: page.items.map(versionToWire), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
      },
    },
    {
      method: 'GET',
      path: 'model-versions/get-download-uri',
      handle: async (req) => ({ artifact_uri: (await registry.getVersion(reqString(req, 'name'), version(req))).source }),
    },
    {
      method: 'POST',
      path: 'model-versions/set-tag',
      handle: async (req, ctx) => {
        await registry.setVersionTag(reqString(req, 'name'), version(req), reqString(req, 'key'), optString(req, 'value') ?? '', ctx);
        return {};
      },
    },
    {
      method: 'DELETE',
      path: 'model-versions/delete-tag',
      handle: async (req, ctx) => {
        await registry.deleteVersionTag(reqString(req, 'name'), version(req), reqString(req, 'key'), ctx);
        return {};
      },
    },
    {
      method: 'POST',
      path: 'model-versions/transition-stage',
      handle: async (req, ctx) => ({
        model_version: versionToWire(await registry.transitionStage(reqString(req, 'name'), version(req), reqString(req, 'stage'), optBool(req, 'archive_existing_versions') ?? false, ctx)),
      }),
    },
  ];
}
