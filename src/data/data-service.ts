/**
 * The data domain's service: adds content-addressed dataset versions (bytes into the artifact
 * store, metadata into the DatasetStore), resolves version references, and runs profiling and
 * validation in DuckDB. Order of an add: read and profile first (any bad input fails here), then
 * store the bytes (content-addressed, so a retry or a crash leaves only reusable objects), then
 * record the version in one transaction: nothing is ever half-registered.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GyreError, invalidArgument, notFound } from '../core/errors.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { DatasetStore } from './dataset-store.js';
import type { ColumnSchema, DatasetSummary, DatasetVersion, Profile } from './entities.js';
import type { AddDatasetInput, AddDatasetResult, DataAccess } from './data-access.js';
import type { ExpectationSuite } from './expectations.js';
import type { ValidationReport } from './validation-report.js';
import { checkSuite } from './suite-parser.js';
import { inferSuite } from './infer-suite.js';
import { diffVersions } from './dataset-diff.js';
import type { DatasetDiff } from './dataset-diff.js';
import { checkDatasetName, parseVersionRef } from './version-ref.js';
import { resolveSource } from './source-files.js';
import { resolveReadOptions } from './read-options.js';
import { openDuckSession } from './engine/duckdb-session.js';
import type { DuckSessionOptions } from './engine/duckdb-session.js';
import { loadTable } from './engine/load-table.js';
import { profileTable } from './engine/profile-table.js';
import { validateTable } from './engine/validate-table.js';
import { storePathOfArtifactUri } from '../tracking/run-artifacts.js';

export class DataService implements DataAccess {
  constructor(
    private readonly store: DatasetStore,
    private readonly artifacts: ArtifactStore,
    private readonly duckOptions: DuckSessionOptions = {},
  ) {}

  async add(input: AddDatasetInput): Promise<AddDatasetResult> {
    checkDatasetName(input.name);
    checkTags(input.tags);
    const fetched = await this.fetchStoredSource(input.source);
    try {
      return await this.addFrom(input, fetched ?? input.source);
    } finally {
      if (fetched) fs.rmSync(path.dirname(fetched), { recursive: true, force: true });
    }
  }

  /**
   * A source inside Gyre's own artifact store (`mlflow-artifacts:/…`, e.g. a file a run logged) is
   * copied to a temp folder first, so it is read like a local file; null for any other source.
   */
  private async fetchStoredSource(source: string): Promise<string | null> {
    const storePath = storePathOfArtifactUri(source);
    if (storePath === null) return null;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gyre-data-src-'));
    const target = path.join(dir, path.posix.basename(storePath));
    try {
      await pipeline(await this.artifacts.get(storePath), fs.createWriteStream(target));
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return target;
  }

  private async addFrom(input: AddDatasetInput, localSource: string): Promise<AddDatasetResult> {
    const { files, digest } = await resolveSource(localSource);
    const readOptions = resolveReadOptions(input.readOptions, files[0].path);
    // Known content is answered from metadata alone: no re-read, no re-profile.
    const [known] = await this.store.findByDigestPrefix(input.name, digest.slice(7));
    if (known) return { version: known, created: false };
    const duck = await openDuckSession(this.duckOptions);
    let schema;
    let profile;
    try {
      schema = await loadTable(duck, files.map((f) => f.path), readOptions);
      profile = await profileTable(duck, schema);
    } finally {
      duck.close();
    }
    for (const f of files) {
      const stored = await this.artifacts.put(this.artifactPath(input.name, digest, f.name), fs.createReadStream(f.path));
      if (stored.digest && stored.digest !== f.digest) {
        throw new GyreError('CONFLICT', `'${f.path}' changed while it was being added; add it again once it is complete.`, { file: f.path });
      }
    }
    return this.store.addVersion({
      name: input.name,
      digest,
      source: input.source,
      readOptions,
      files: files.map(({ name, digest: d, size }) => ({ name, digest: d, size })),
      rowCount: profile.rowCount,
      schema,
      profile,
      createdBy: input.createdBy ?? 'unknown',
      createdAt: Date.now(),
      tags: input.tags ?? {},
    });
  }

  list(): Promise<DatasetSummary[]> {
    return this.store.listDatasets();
  }

  versions(name: string): Promise<DatasetVersion[]> {
    checkDatasetName(name);
    return this.store.listVersions(name);
  }

  async get(ref: string): Promise<DatasetVersion> {
    const { name, selector } = parseVersionRef(ref);
    if (selector.kind === 'latest') return this.store.getLatestVersion(name);
    if (selector.kind === 'number') return this.store.getVersion(name, selector.version);
    const matches = await this.store.findByDigestPrefix(name, selector.prefix);
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) {
      await this.store.listVersions(name); // NOT_FOUND for an unknown dataset, with its own message
      throw notFound(`Dataset '${name}' has no version whose digest starts with '${selector.prefix}'.`, { ref });
    }
    throw invalidArgument(
      `'${ref}' is ambiguous: ${matches.length} versions of '${name}' have digests starting with '${selector.prefix}' (${matches.map((m) => `@${m.version} ${m.digest.slice(7, 19)}`).join(', ')}). Use a longer prefix or the version number.`,
      { ref, versions: matches.map((m) => m.version) },
    );
  }

  async profile(ref: string): Promise<Profile> {
    return (await this.get(ref)).profile;
  }

  async diff(fromRef: string, toRef: string): Promise<DatasetDiff> {
    return diffVersions(await this.get(fromRef), await this.get(toRef));
  }

  async inferSuite(ref: string, suiteName?: string): Promise<ExpectationSuite> {
    return inferSuite(await this.get(ref), suiteName);
  }

  async validate(ref: string, suite: ExpectationSuite): Promise<ValidationReport> {
    const checked = checkSuite(suite, `suite '${suite?.name ?? ''}'`);
    const started = performance.now();
    const version = await this.get(ref);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gyre-data-'));
    const duck = await openDuckSession(this.duckOptions);
    try {
      const files = await this.materialize(version, dir);
      await loadTable(duck, files, version.readOptions, version.schema);
      const results = await validateTable(duck, version.schema, checked, `${version.name}@${version.version}`);
      const failed = results.filter((r) => !r.success && r.severity === 'error').length;
      const warnings = results.filter((r) => !r.success && r.severity === 'warn').length;
      return {
        dataset: { name: version.name, version: version.version, digest: version.digest, source: version.source },
        suite: checked.name,
        success: failed === 0,
        statistics: { evaluated: results.length, succeeded: results.length - failed - warnings, failed, warnings },
        rowCount: version.rowCount,
        results,
        createdAt: Date.now(),
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      duck.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Whole columns of a dataset version (`NAME@N`, …) or of a local file read with `readOptions`,
   * at most `limit` rows (default 1,000,000) — for computations that need the values themselves,
   * such as drift tests.
   */
  async readColumns(refOrFile: string, options: { readOptions?: unknown; limit?: number } = {}): Promise<{ label: string; schema: ColumnSchema[]; columns: Record<string, unknown[]>; rowCount: number }> {
    const limit = options.limit ?? 1_000_000;
    const isFile = fs.existsSync(refOrFile) || !refOrFile.includes('@');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gyre-data-'));
    const duck = await openDuckSession(this.duckOptions);
    try {
      let label: string;
      let schema: ColumnSchema[];
      if (isFile) {
        const { files } = await resolveSource(refOrFile);
        schema = await loadTable(duck, files.map((f) => f.path), resolveReadOptions(options.readOptions, files[0]!.path));
        label = refOrFile;
      } else {
        const version = await this.get(refOrFile);
        schema = await loadTable(duck, await this.materialize(version, dir), version.readOptions, version.schema);
        label = `${version.name}@${version.version}`;
      }
      const rows = await duck.all<Record<string, unknown>>(`SELECT * FROM data LIMIT ${Math.max(1, Math.floor(limit))}`);
      const columns: Record<string, unknown[]> = {};
      for (const c of schema) {
        const numeric = c.type === 'integer' || c.type === 'number';
        columns[c.name] = rows.map((r) => {
          const v = r[c.name];
          return numeric && v !== null && v !== undefined ? Number(v) : v;
        });
      }
      return { label, schema, columns, rowCount: rows.length };
    } finally {
      duck.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Copies a version's files out of the artifact store so DuckDB can read them, whatever the backend. */
  private async materialize(version: DatasetVersion, dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const f of version.files) {
      const target = path.join(dir, ...f.name.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await pipeline(await this.artifacts.get(this.artifactPath(version.name, version.digest, f.name)), fs.createWriteStream(target));
      out.push(target);
    }
    return out;
  }

  private artifactPath(name: string, digest: string, file: string): string {
    return `datasets/${name}/${digest.slice(7)}/${file}`;
  }
}

function checkTags(tags: unknown): void {
  if (tags === undefined) return;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags) || !Object.values(tags).every((v) => typeof v === 'string')) {
    throw invalidArgument('Tags must be an object of string values, e.g. {"source": "crm-export"}.');
  }
}
