/** TrackingStore over a remote Gyre server's native API: what the SDK uses when GYRE_URL is set. */
import type { MetricHistoryJson, TrackingStore } from '../../tracking/tracking-store.js';
import type {
  CreateExperimentInput,
  CreateRunInput,
  DatasetInput,
  Experiment,
  LogBatch,
  Metric,
  MetricHistoryInput,
  Page,
  Run,
  RunInfo,
  SearchExperimentsInput,
  SearchRunsInput,
  UpdateRunInput,
} from '../../tracking/entities.js';
import { decodeMetric, decodeRun, encodeMetric } from '../../api/tracking-wire.js';
import type { WireMetric, WireRun } from '../../api/tracking-wire.js';
import type { RestClient } from './rest-client.js';

const seg = encodeURIComponent;

export class RestTrackingStore implements TrackingStore {
  constructor(private readonly client: RestClient) {}

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    return (await this.client.json<{ experimentId: string }>('POST', '/experiments', input)).experimentId;
  }
  getExperiment(experimentId: string): Promise<Experiment> {
    return this.client.json('GET', `/experiments/${seg(experimentId)}`);
  }
  getExperimentByName(name: string): Promise<Experiment> {
    return this.client.json('GET', `/experiments/by-name/${seg(name)}`);
  }
  async searchExperiments(input: SearchExperimentsInput): Promise<Page<Experiment>> {
    const res = await this.client.json<{ experiments: Experiment[]; nextPageToken: string | null }>('GET', '/experiments', undefined, {
      filter: input.filter,
      orderBy: input.orderBy,
      pageToken: input.pageToken,
      viewType: input.viewType,
      maxResults: input.maxResults,
    });
    return { items: res.experiments, nextPageToken: res.nextPageToken };
  }
  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    await this.client.json('PATCH', `/experiments/${seg(experimentId)}`, { name: newName });
  }
  async deleteExperiment(experimentId: string): Promise<void> {
    await this.client.json('DELETE', `/experiments/${seg(experimentId)}`);
  }
  async restoreExperiment(experimentId: string): Promise<void> {
    await this.client.json('POST', `/experiments/${seg(experimentId)}/restore`, {});
  }
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.client.json('PUT', `/experiments/${seg(experimentId)}/tags/${seg(key)}`, { value });
  }
  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.client.json('DELETE', `/experiments/${seg(experimentId)}/tags/${seg(key)}`);
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    return decodeRun(await this.client.json<WireRun>('POST', '/runs', input));
  }
  async getRun(runId: string): Promise<Run> {
    return decodeRun(await this.client.json<WireRun>('GET', `/runs/${seg(runId)}`));
  }
  updateRun(runId: string, input: UpdateRunInput): Promise<RunInfo> {
    return this.client.json('PATCH', `/runs/${seg(runId)}`, input);
  }
  async deleteRun(runId: string): Promise<void> {
    await this.client.json('DELETE', `/runs/${seg(runId)}`);
  }
  async restoreRun(runId: string): Promise<void> {
    await this.client.json('POST', `/runs/${seg(runId)}/restore`, {});
  }
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    await this.client.json('POST', `/runs/${seg(runId)}/batch`, { ...batch, metrics: (batch.metrics ?? []).map(encodeMetric) });
  }
  async deleteTag(runId: string, key: string): Promise<void> {
    await this.client.json('DELETE', `/runs/${seg(runId)}/tags/${seg(key)}`);
  }
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    await this.client.json('POST', `/runs/${seg(runId)}/inputs`, { datasets });
  }
  async getMetricHistory(runId: string, key: string, input: MetricHistoryInput = {}): Promise<Page<Metric>> {
    const res = await this.client.json<{ metrics: WireMetric[]; nextPageToken: string | null }>('GET', `/runs/${seg(runId)}/metrics/${seg(key)}/history`, undefined, {
      maxResults: input.maxResults,
      maxPoints: input.maxPoints,
      pageToken: input.pageToken,
    });
    return { items: res.metrics.map(decodeMetric), nextPageToken: res.nextPageToken };
  }
  async getMetricHistoryJson(runId: string, key: string, input: Omit<MetricHistoryInput, 'maxPoints'> = {}): Promise<MetricHistoryJson> {
    const page = await this.getMetricHistory(runId, key, input);
    return { json: Buffer.from(JSON.stringify(page.items.map(encodeMetric))), count: page.items.length, nextPageToken: page.nextPageToken };
  }
  async searchRuns(input: SearchRunsInput): Promise<Page<Run>> {
    const res = await this.client.json<{ runs: WireRun[]; nextPageToken: string | null }>('POST', '/runs/search', input);
    return { items: res.runs.map(decodeRun), nextPageToken: res.nextPageToken };
  }
  /** The server caches; a client cannot know when others write. */
  async dataVersion(): Promise<string | null> {
    return null;
  }
  async close(): Promise<void> {}
}
