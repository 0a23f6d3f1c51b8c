/** InferenceLogStore over Kysely, shared by SQLite and PostgreSQL. */
import { CompiledQuery, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { cachedSql, valuesList } from './sql-text.js';
import type { Dialect } from './sql-text.js';
import type { Database } from '../schema.js';
import type { InferenceLogStore } from '../../serving/inference-log/inference-log-store.js';
import type { InferenceRecord, LabelInput, LabeledRecord, ReadWindowInput } from '../../serving/inference-log/entities.js';
import { candidatesOfSegment, countSegment, decodeCandidate, SEGMENT_COLUMNS, segmentsOf, segmentValues } from './inference-log-segments.js';
import type { WindowCandidate } from './inference-log-segments.js';

// Multi-row inserts stay under SQLite's 32k bound parameters.
const ROWS_PER_INSERT = 500;
/** Request ids per label lookup: one bound array (JSON text for SQLite), not one parameter each. */
const IDS_PER_LABEL_QUERY = 20_000;

export class SqlInferenceLogStore implements InferenceLogStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async append(records: InferenceRecord[]): Promise<void> {
    if (records.length === 0) return;
    const segments = segmentsOf(records);
    const text = cachedSql(`inference-log-segments:${this.dialect}:${segments.length}`, () => `INSERT INTO inference_log_segments (${SEGMENT_COLUMNS}) VALUES ${valuesList(this.dialect, segments.length, 7)}`);
    await this.db.executeQuery(CompiledQuery.raw(text, segments.flatMap(segmentValues)));
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
    const candidates: WindowCandidate[] = [];
    for (const seg of await this.segments(input.deployment, input.from, input.to, true)) candidatesOfSegment(input.deployment, seg.records, seg.inputs, input, candidates);
    // Oldest first; records of equal time in the order they were appended (the sort is stable).
    candidates.sort((a, b) => a.timestamp - b.timestamp);
    const limit = input.limit ?? 100_000;
    // Without a label filter the limit applies first, so only kept records' labels are looked up.
    const kept = input.labeledOnly ? candidates : candidates.slice(0, limit);
    const labels = await this.labelsOf(input.deployment, kept.map((c) => c.requestId));
    const out: LabeledRecord[] = [];
    for (const c of kept) {
      const label = labels.get(c.requestId);
      if (input.labeledOnly && !label) continue;
      out.push({ ...decodeCandidate(c), label: label ? JSON.parse(label.label) : null, labelTimestamp: label?.ts ?? null });
      if (out.length >= limit) break;
    }
    return out;
  }

  async count(deployment: string, from: number, to: number): Promise<{ primary: number; shadow: number }> {
    const counts = { primary: 0, shadow: 0 };
    for (const seg of await this.segments(deployment, from, to)) {
      // A segment wholly inside the window is counted from its row; one across an edge record by record.
      if (seg.ts_min >= from && seg.ts_max < to) {
        counts.primary += Number(seg.primary_count);
        counts.shadow += Number(seg.shadow_count);
      } else countSegment(seg.records, from, to, counts);
    }
    return counts;
  }

  /** Segments with a record that may fall in [from, to), in append order; their inputs only when asked for. */
  private segments(deployment: string, from: number, to: number, withInputs = false) {
    return this.db
      .selectFrom('inference_log_segments')
      .select(['ts_min', 'ts_max', 'primary_count', 'shadow_count', 'records', withInputs ? 'inputs' : sql<string>`''`.as('inputs')])
      .where('deployment', '=', deployment)
      .where('ts_max', '>=', from)
      .where('ts_min', '<', to)
      .orderBy('segment_id')
      .execute();
  }

  private async labelsOf(deployment: string, requestIds: string[]): Promise<Map<string, { label: string; ts: number }>> {
    const labels = new Map<string, { label: string; ts: number }>();
    for (let i = 0; i < requestIds.length; i += IDS_PER_LABEL_QUERY) {
      const ids = requestIds.slice(i, i + IDS_PER_LABEL_QUERY);
      const among = this.dialect === 'postgres' ? sql<boolean>`request_id = ANY(${ids}::text[])` : sql<boolean>`request_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
      const rows = await this.db.selectFrom('inference_labels').select(['request_id', 'label', 'ts']).where('deployment', '=', deployment).where(among).execute();
      for (const r of rows) labels.set(r.request_id, { label: r.label, ts: r.ts });
    }
    return labels;
  }
}

