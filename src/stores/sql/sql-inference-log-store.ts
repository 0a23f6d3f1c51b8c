/** InferenceLogStore over Kysely, shared by SQLite and PostgreSQL. */
import { CompiledQuery, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { cachedSql, valuesList } from './sql-text.js';
import type { Dialect } from './sql-text.js';
import type { Database } from '../schema.js';
import type { InferenceLogStore } from '../../serving/inference-log/inference-log-store.js';
import type { InferenceRecord, LabelInput, LabeledRecord, ReadWindowInput } from '../../serving/inference-log/entities.js';
import { candidatesOfSegment, countSegment, decodeCandidate, SEGMENT_COLUMNS, SEGMENT_SPAN_MS, segmentsOf, segmentValues } from './inference-log-segments.js';
import type { WindowCandidate } from './inference-log-segments.js';

// Multi-row inserts stay under SQLite's 32k bound parameters.
const ROWS_PER_INSERT = 500;
/** Request ids per label lookup: one bound array (JSON text for SQLite), not one parameter each. */
const IDS_PER_LABEL_QUERY = 20_000;
/** Segments fetched per query while reading a window: up to ~10,000 records at the writer's 500 per flush, fewer for a small limit. */
const segmentsPerRead = (limit: number) => Math.min(20, Math.max(2, Math.ceil(limit / 250)));

interface Label {
  label: string;
  ts: number;
}

/** Oldest first; records of equal time in the order they were appended. */
const inWindowOrder = (a: WindowCandidate, b: WindowCandidate) => a.timestamp - b.timestamp || a.segmentId - b.segmentId || a.index - b.index;
const labeledInWindowOrder = (a: { c: WindowCandidate }, b: { c: WindowCandidate }) => inWindowOrder(a.c, b.c);

export class SqlInferenceLogStore implements InferenceLogStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async append(records: InferenceRecord[]): Promise<void> {
    if (records.length === 0) return;
    const segments = segmentsOf(records);
    // One transaction; statements of at most ROWS_PER_INSERT segments (a batch over many minutes has many).
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < segments.length; i += ROWS_PER_INSERT) {
        const chunk = segments.slice(i, i + ROWS_PER_INSERT);
        const text = cachedSql(`inference-log-segments:${this.dialect}:${chunk.length}`, () => `INSERT INTO inference_log_segments (${SEGMENT_COLUMNS}) VALUES ${valuesList(this.dialect, chunk.length, 7)}`);
        await trx.executeQuery(CompiledQuery.raw(text, chunk.flatMap(segmentValues)));
      }
    });
  }

  async putLabels(deployment: string, labels: LabelInput[]): Promise<number> {
    if (labels.length === 0) return 0;
    const now = Date.now();
    return this.db.transaction().execute(async (trx) => {
      // Looked up in chunks: one IN list of every id would pass SQLite's bound-parameter limit.
      const existing = await this.labelsOf(deployment, labels.map((l) => l.requestId), trx);
      for (let i = 0; i < labels.length; i += ROWS_PER_INSERT) {
        await trx
          .insertInto('inference_labels')
          .values(labels.slice(i, i + ROWS_PER_INSERT).map((l) => ({ deployment, request_id: l.requestId, label: JSON.stringify(l.label), ts: l.timestamp ?? now })))
          // A corrected label replaces the earlier one.
          .onConflict((oc) => oc.columns(['deployment', 'request_id']).doUpdateSet((eb) => ({ label: eb.ref('excluded.label'), ts: eb.ref('excluded.ts') })))
          .execute();
      }
      return new Set(labels.map((l) => l.requestId)).size - existing.size;
    });
  }

  /**
   * Segments are read in order of their first record's time, a few at a time, and reading stops
   * once `limit` records are in hand that are all earlier than anything left unread: the first
   * rows of a long window (a row-count monitor's window) cost a few segments, not all of them.
   */
  async readWindow(input: ReadWindowInput): Promise<LabeledRecord[]> {
    const limit = input.limit ?? 100_000;
    if (limit <= 0) return [];
    const metas = await this.overlapping(input.deployment, input.from, input.to).select(['segment_id', 'ts_min']).execute();
    metas.sort((a, b) => a.ts_min - b.ts_min || a.segment_id - b.segment_id);
    // Without a label filter, records are kept undecoded until the limit has cut them.
    let kept: WindowCandidate[] = [];
    // With one, a labeled record is decoded as it is kept (its inputs no longer hold its segment's text).
    let labeled: { c: WindowCandidate; record: LabeledRecord }[] = [];
    const inHand = () => (input.labeledOnly ? labeled.length : kept.length);
    const limitTime = () => {
      if (input.labeledOnly) return (labeled = labeled.sort(labeledInWindowOrder).slice(0, limit))[limit - 1]!.c.timestamp;
      return (kept = kept.sort(inWindowOrder).slice(0, limit))[limit - 1]!.timestamp;
    };
    const perRead = segmentsPerRead(limit);
    for (let i = 0; i < metas.length; i += perRead) {
      if (inHand() >= limit && metas[i]!.ts_min > limitTime()) break;
      const ids = metas.slice(i, i + perRead).map((m) => m.segment_id);
      const rows = await this.db.selectFrom('inference_log_segments').select(['segment_id', 'records', 'inputs']).where('segment_id', 'in', ids).execute();
      const candidates: WindowCandidate[] = [];
      for (const row of rows) candidatesOfSegment(input.deployment, row.segment_id, row.records, row.inputs, input, candidates);
      if (!input.labeledOnly) {
        for (const c of candidates) kept.push(c);
        continue;
      }
      const labels = await this.labelsOf(input.deployment, candidates.map((c) => c.requestId));
      for (const c of candidates) {
        const label = labels.get(c.requestId);
        if (label) labeled.push({ c, record: decodeCandidate(c, JSON.parse(label.label), label.ts) });
      }
    }
    if (input.labeledOnly) return labeled.sort(labeledInWindowOrder).slice(0, limit).map((l) => l.record);
    kept = kept.sort(inWindowOrder).slice(0, limit);
    const labels = await this.labelsOf(input.deployment, kept.map((c) => c.requestId));
    return kept.map((c) => {
      const label = labels.get(c.requestId);
      return decodeCandidate(c, label ? JSON.parse(label.label) : null, label?.ts ?? null);
    });
  }

  async count(deployment: string, from: number, to: number): Promise<{ primary: number; shadow: number }> {
    const counts = { primary: 0, shadow: 0 };
    // A segment wholly inside the window is counted from its row; one across an edge record by record.
    const inside = sql<boolean>`ts_min >= ${from} AND ts_max < ${to}`;
    const rows = await this.overlapping(deployment, from, to)
      .select(['primary_count', 'shadow_count', sql<string>`CASE WHEN ${inside} THEN '' ELSE records END`.as('records')])
      .execute();
    for (const seg of rows) {
      if (seg.records === '') {
        counts.primary += Number(seg.primary_count);
        counts.shadow += Number(seg.shadow_count);
      } else countSegment(seg.records, from, to, counts);
    }
    return counts;
  }

  /** Segments with a record that may fall in [from, to): an index range, as each spans at most SEGMENT_SPAN_MS. */
  private overlapping(deployment: string, from: number, to: number) {
    return this.db
      .selectFrom('inference_log_segments')
      .where('deployment', '=', deployment)
      .where('ts_min', '>=', from - SEGMENT_SPAN_MS)
      .where('ts_min', '<', to)
      .where('ts_max', '>=', from);
  }

  private async labelsOf(deployment: string, requestIds: string[], db: Kysely<Database> = this.db): Promise<Map<string, Label>> {
    const labels = new Map<string, Label>();
    for (let i = 0; i < requestIds.length; i += IDS_PER_LABEL_QUERY) {
      const ids = requestIds.slice(i, i + IDS_PER_LABEL_QUERY);
      const among = this.dialect === 'postgres' ? sql<boolean>`request_id = ANY(${ids}::text[])` : sql<boolean>`request_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
      const rows = await db.selectFrom('inference_labels').select(['request_id', 'label', 'ts']).where('deployment', '=', deployment).where(among).execute();
      for (const r of rows) labels.set(r.request_id, { label: r.label, ts: r.ts });
    }
    return labels;
  }
}
