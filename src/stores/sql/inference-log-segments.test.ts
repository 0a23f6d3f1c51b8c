/** How a batch of log records becomes segments: by deployment and minute, split when its inputs grow large. */
import { describe, expect, it } from 'vitest';
import { candidatesOfSegment, SEGMENT_SPAN_MS, segmentsOf } from './inference-log-segments.js';
import type { InferenceRecord } from '../../serving/inference-log/entities.js';
import type { WindowCandidate } from './inference-log-segments.js';

const T0 = Date.UTC(2026, 0, 1);
const record = (over: Partial<InferenceRecord>): InferenceRecord => ({ deployment: 'd', requestId: 'r', timestamp: T0, modelName: 'm', modelVersion: '1', variant: 'primary', inputs: { x: 1 }, outputs: { y: 2 }, latencyMs: 1, ...over });
const read = (s: ReturnType<typeof segmentsOf>[number]) => {
  const into: WindowCandidate[] = [];
  candidatesOfSegment(s.deployment, 1, s.records, s.inputs, { from: -Infinity, to: Infinity }, into);
  return into;
};

describe('inference log segments', () => {
  it('puts each deployment and minute of a batch in its own segment, none spanning more than a minute', () => {
    const segs = segmentsOf([record({ requestId: 'a' }), record({ requestId: 'b', deployment: 'e' }), record({ requestId: 'c', timestamp: T0 + 3 * SEGMENT_SPAN_MS }), record({ requestId: 'd', timestamp: T0 + 59_999 })]);
    expect(segs.map((s) => [s.deployment, s.tsMin - T0, s.tsMax - T0, read(s).map((c) => c.requestId).join()])).toEqual([
      ['d', 0, 59_999, 'a,d'],
      ['e', 0, 0, 'b'],
      ['d', 3 * SEGMENT_SPAN_MS, 3 * SEGMENT_SPAN_MS, 'c'],
    ]);
  });

  it('starts a new segment when the inputs grow past millions of characters, every record intact', () => {
    const big = (i: number) => record({ requestId: `r${i}`, inputs: null, request: { endpoint: 'records', json: `{"records":[{"s":"${String(i).repeat(2_500_000)}"}]}` } });
    const segs = segmentsOf([big(1), big(2), big(3), big(4)]);
    expect(segs.length).toBeGreaterThan(1);
    expect(segs.flatMap((s) => read(s).map((c) => [c.requestId, c.inputsText.length]))).toEqual([1, 2, 3, 4].map((i) => [`r${i}`, 2_500_000 + 22]));
  });

  it('stores a text with a lone surrogate so that the records after it keep their own inputs', () => {
    const [seg] = segmentsOf([record({ requestId: 'a', inputs: null, request: { endpoint: 'records', json: '{"records":[{"s":"\ud800"}]}' } }), record({ requestId: 'b', inputs: { x: 'ok' } })]);
    // As the database hands text back: any lone surrogate would have become U+FFFD.
    const roundTripped = Buffer.from(seg!.inputs, 'utf8').toString('utf8');
    const into: WindowCandidate[] = [];
    candidatesOfSegment('d', 1, seg!.records, roundTripped, { from: -Infinity, to: Infinity }, into);
    expect(into.map((c) => c.inputsText)).toEqual(['{"records":[{"s":"\ufffd"}]}', '{"x":"ok"}']);
  });
});
