/** InferenceLogStore over Kysely, shared by SQLite and PostgreSQL. */
import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import { cachedSql, valuesList } from './sql-text.js';
import type { Dialect } from './sql-text.js';
import type { Database } from '../schema.js';
import type { InferenceLogStore } from '../../serving/inference-log/inference-log-store.js';
import type { InferenceRecord, LabelInput, LabeledRecord, ReadWindowInput, Variant } from '../../serving/inference-log/entities.js';
import { readInputs, storedInputs } from '../../serving/inference-log/logged-inputs.js';

// Multi-row inserts stay under SQLite's 32k bound parameters (10 columns per row).
const ROWS_PER_INSERT = 500;

export class SqlInferenceLogStore implements InferenceLogStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async append(records: InferenceRecord[]): Promise<void> {
    if (records.length === 0) return;
    // Raw multi-row SQL, text cached per row count: Kysely compiling 500 rows × 9 values per flush
    // cost more than the insert itself (bench/serving.js, logging on vs off).
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < records.length; i += ROWS_PER_INSERT) {
        const chunk = records.slice(i, i + ROWS_PER_INSERT);
        const text = cachedSql(
          `inference-log:${this.dialect}:${chunk.length}`,
          () => `INSERT INTO inference_log (deployment, request_id, ts, model_name, model_version, variant, inputs, inputs_kind, outputs, latency_ms) VALUES ${valuesList(this.dialect, chunk.length, 10)}`,
        );
        const values: unknown[] = [];
        for (const r of chunk) {
          const inputs = storedInputs(r);
          values.push(r.deployment, r.requestId, r.timestamp, r.modelName, r.modelVersion, r.variant, inputs.text, inputs.kind, JSON.stringify(r.outputs), r.latencyMs);
        }
        await trx.executeQuery(CompiledQuery.raw(text, values));
      }
    });
  }

  async putLabels(deployment: string, labels: LabelInput[]): Promise<number> {
    if (labels.length === 0) return 0;
    const now = Date.now();
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('inference_labels')
        .select('request_id')
        .where('deployment', '=', deployment)
        .where('request_id', 'in', labels.map((l) => l.requestId))
        .execute();
      for (let i = 0; i < labels.length; i += ROWS_PER_INSERT) {
        await trx
          .insertInto('inference_labels')
          .values(labels.slice(i, i + ROWS_PER_INSERT).map((l) => ({ deployment, request_id: l.requestId, label: JSON.stringify(l.label), ts: l.timestamp ?? now })))
          // A corrected label replaces the earlier one.
          .onConflict((oc) => oc.columns(['deployment', 'request_id']).doUpdateSet((eb) => ({ label: eb.ref('excluded.label'), ts: eb.ref('excluded.ts') })))
          .execute();
      }
      return new Set(labels.map((l) => l.requestId)).size - existing.length;
    });
  }

  async readWindow(input: ReadWindowInput): Promise<LabeledRecord[]> {
    let q = this.db
      .selectFrom('inference_log as l')
      .leftJoin('inference_labels as b', (j) => j.onRef('b.deployment', '=', 'l.deployment').onRef('b.request_id', '=', 'l.request_id'))
      .select(['l.deployment', 'l.request_id', 'l.ts', 'l.model_name', 'l.model_version', 'l.variant', 'l.inputs', 'l.inputs_kind', 'l.outputs', 'l.latency_ms', 'b.label', 'b.ts as label_ts'])
      .where('l.deployment', '=', input.deployment)
      .where('l.ts', '>=', input.from)
      .where('l.ts', '<', input.to);
    if (input.modelVersion !== undefined) q = q.where('l.model_version', '=', input.modelVersion);
    if (input.variant !== undefined) q = q.where('l.variant', '=', input.variant);
    if (input.labeledOnly) q = q.where('b.label', 'is not', null);
    const rows = await q.orderBy('l.ts').orderBy('l.record_id').limit(input.limit ?? 100_000).execute();
    return rows.map((r) => ({
      deployment: r.deployment,
      requestId: r.request_id,
      timestamp: r.ts,
      modelName: r.model_name,
      modelVersion: r.model_version,
      variant: r.variant as Variant,
      inputs: readInputs(r.inputs, r.inputs_kind),
      outputs: JSON.parse(r.outputs),
      latencyMs: r.latency_ms,
      label: r.label === null ? null : JSON.parse(r.label),
      labelTimestamp: r.label_ts ?? null,
    }));
  }

  async count(deployment: string, from: number, to: number): Promise<{ primary: number; shadow: number }> {
    const rows = await this.db
      .selectFrom('inference_log')
      .select(['variant', (eb) => eb.fn.countAll<number>().as('n')])
      .where('deployment', '=', deployment)
      .where('ts', '>=', from)
      .where('ts', '<', to)
      .groupBy('variant')
      .execute();
    const by = new Map(rows.map((r) => [r.variant, Number(r.n)]));
    return { primary: by.get('primary') ?? 0, shadow: by.get('shadow') ?? 0 };
  }
}
