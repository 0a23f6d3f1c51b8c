/** DataAccess over a Gyre server's native API, for the SDK and CLI in remote mode. */
import type { RestClient } from './rest-client.js';
import type { AddDatasetInput, AddDatasetResult, DataAccess } from '../../data/data-access.js';
import type { DatasetSummary, DatasetVersion, Profile } from '../../data/entities.js';
import type { DatasetDiff } from '../../data/dataset-diff.js';
import type { ExpectationSuite } from '../../data/expectations.js';
import type { ValidationReport } from '../../data/validation-report.js';
import { parseVersionRef } from '../../data/version-ref.js';

function split(ref: string): { name: string; ref: string } {
  const { name, selector } = parseVersionRef(ref);
  // Digest prefixes keep their `sha256:` so an all-digit prefix is not read as a version number.
  const r = selector.kind === 'latest' ? 'latest' : selector.kind === 'number' ? String(selector.version) : `sha256:${selector.prefix}`;
  return { name: encodeURIComponent(name), ref: encodeURIComponent(r) };
}

export class RestDataAccess implements DataAccess {
  constructor(private readonly client: RestClient) {}

  add(input: AddDatasetInput): Promise<AddDatasetResult> {
    const { name, ...body } = input;
    return this.client.json('POST', `/datasets/${encodeURIComponent(name)}/versions`, body);
  }
  async list(): Promise<DatasetSummary[]> {
    return (await this.client.json<{ datasets: DatasetSummary[] }>('GET', '/datasets')).datasets;
  }
  async versions(name: string): Promise<DatasetVersion[]> {
    return (await this.client.json<{ versions: DatasetVersion[] }>('GET', `/datasets/${encodeURIComponent(name)}/versions`)).versions;
  }
  get(ref: string): Promise<DatasetVersion> {
    const r = split(ref);
    return this.client.json('GET', `/datasets/${r.name}/versions/${r.ref}`);
  }
  profile(ref: string): Promise<Profile> {
    const r = split(ref);
    return this.client.json('GET', `/datasets/${r.name}/versions/${r.ref}/profile`);
  }
  diff(fromRef: string, toRef: string): Promise<DatasetDiff> {
    const a = split(fromRef);
    return this.client.json('GET', `/datasets/${a.name}/diff`, undefined, { from: fromRef, to: toRef });
  }
  inferSuite(ref: string, suiteName?: string): Promise<ExpectationSuite> {
    const r = split(ref);
    return this.client.json('GET', `/datasets/${r.name}/versions/${r.ref}/inferred-suite`, undefined, { name: suiteName });
  }
  validate(ref: string, suite: ExpectationSuite): Promise<ValidationReport> {
    const r = split(ref);
    return this.client.json('POST', `/datasets/${r.name}/versions/${r.ref}/validate`, { suite });
  }
}
