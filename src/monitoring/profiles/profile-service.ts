/**
 * Fitting and storing reference profiles: from a dataset version (or file) through the data
 * service, from a window of a deployment's inference log, or from columns already in memory.
 * Profiles are immutable once stored, so they are cached by id and name.
 */
import type { MonitoringStore } from '../monitoring-store.js';
import type { InferenceLogStore } from '../../serving/inference-log/inference-log-store.js';
import type { GyreModelManifest } from '../../models/manifest.js';
import type { ColumnSchema } from '../../data/entities.js';
import { invalidArgument } from '../../core/errors.js';
import { newUuid } from '../../core/ids.js';
import { fitProfile } from './fit-profile.js';
import type { ColumnKind } from './fit-profile.js';
import type { ReferenceProfile, StoredProfile } from './entities.js';
import { PREDICTION_COLUMN } from '../monitors/evaluate-window.js';
import { predictionOutput, windowRows } from '../monitors/window-rows.js';
import { featureQuality } from '../monitors/data-quality.js';
import { dominantVersion, MAX_WINDOW_RECORDS } from '../monitors/window-source.js';

export type ReadDataset = (ref: string) => Promise<{ label: string; schema: ColumnSchema[]; columns: Record<string, unknown[]> }>;
export type ManifestOf = (modelName: string, version: string) => Promise<GyreModelManifest>;

export interface DatasetProfileOptions {
  columns?: string[];
  /** A column whose values stand for the model's predictions (e.g. the target), for prediction drift. */
  predictionColumn?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

export class ProfileService {
  private readonly cache = new Map<string, StoredProfile>();

  constructor(
    private readonly store: MonitoringStore,
    private readonly log: InferenceLogStore,
    private readonly manifestOf: ManifestOf,
    private readonly readDataset: ReadDataset | null,
    private readonly now: () => number,
  ) {}

  /** Fits and stores a profile of columns already in memory. */
  async save(name: string, profile: ReferenceProfile): Promise<StoredProfile> {
    if (!NAME.test(name)) throw invalidArgument(`Profile name '${name}' is not valid: use letters, digits, '.', '_', '@' or '-' (at most 128).`, { field: 'name' });
    const stored: StoredProfile = { id: newUuid(), name, source: profile.source, rowCount: profile.rowCount, createdAt: this.now(), profile };
    await this.store.saveProfile(stored);
    return stored;
  }

  async fromDataset(name: string, ref: string, options: DatasetProfileOptions = {}): Promise<StoredProfile> {
    if (!this.readDataset) throw invalidArgument('Profiles from datasets are fitted where the data is: run this against a local Gyre (unset GYRE_URL).', {});
    const table = await this.readDataset(ref);
    const types = new Map(table.schema.map((c) => [c.name, c.type]));
    const wanted = options.columns?.length ? options.columns : table.schema.map((c) => c.name).filter((c) => c !== options.predictionColumn);
    for (const c of [...wanted, ...(options.predictionColumn ? [options.predictionColumn] : [])]) {
      if (!types.has(c)) throw invalidArgument(`Column '${c}' is not in ${table.label}; its columns: ${[...types.keys()].join(', ')}.`, { column: c });
    }
    const kindOf = (c: string): ColumnKind => (types.get(c) === 'integer' || types.get(c) === 'number' ? 'numeric' : 'categorical');
    const kinds: Record<string, ColumnKind> = Object.fromEntries(wanted.map((c) => [c, kindOf(c)]));
    const columns: Record<string, ArrayLike<unknown>> = { ...table.columns };
    if (options.predictionColumn) {
      kinds[PREDICTION_COLUMN] = kindOf(options.predictionColumn);
      columns[PREDICTION_COLUMN] = table.columns[options.predictionColumn]!;
    }
    return this.save(name, fitProfile({ source: table.label, kinds, columns }));
  }

  /** A window of live traffic as the reference (e.g. the first week after a deployment), predictions included. */
  async fromInferenceLog(name: string, deployment: string, from: number, to: number): Promise<StoredProfile> {
    const records = await this.log.readWindow({ deployment, from, to, variant: 'primary', limit: MAX_WINDOW_RECORDS });
    const version = dominantVersion(records);
    if (!version) throw invalidArgument(`Deployment '${deployment}' logged no predictions between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}; choose a window with traffic.`, { deployment, from, to });
    const manifest = await this.manifestOf(version.modelName, version.modelVersion);
    const rows = windowRows(records, manifest, predictionOutput(manifest));
    const kinds: Record<string, ColumnKind> = {};
    const columns: Record<string, ArrayLike<unknown>> = {};
    for (const f of manifest.inputs) {
      kinds[f.name] = f.type === 'number' || f.type === 'integer' ? 'numeric' : 'categorical';
      columns[f.name] = featureQuality(f, rows.features[f.name]!, undefined).clean;
    }
    kinds[PREDICTION_COLUMN] = manifest.task === 'classification' ? 'categorical' : 'numeric';
    columns[PREDICTION_COLUMN] = rows.predictions.map((p) => (kinds[PREDICTION_COLUMN] === 'numeric' && typeof p !== 'number' ? null : p ?? null));
    const source = `inference-log:${deployment}[${new Date(from).toISOString()},${new Date(to).toISOString()})`;
    return this.save(name, fitProfile({ source, kinds, columns }));
  }

  async get(idOrName: string): Promise<StoredProfile> {
    const hit = this.cache.get(idOrName);
    if (hit) return hit;
    const p = await this.store.getProfile(idOrName);
    this.cache.set(p.id, p);
    this.cache.set(p.name, p);
    return p;
  }

  list(): Promise<Omit<StoredProfile, 'profile'>[]> {
    return this.store.listProfiles();
  }
}
