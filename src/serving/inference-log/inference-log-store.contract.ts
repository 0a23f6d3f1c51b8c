/** What every InferenceLogStore backend must do, and the writer's behaviour over it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferenceLogStore } from './inference-log-store.js';
import type { InferenceRecord } from './entities.js';
import { InferenceLogWriter } from './inference-log-writer.js';

export interface InferenceLogFixture {
  store: InferenceLogStore;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);
let n = 0;
const record = (deployment: string, over: Partial<InferenceRecord> = {}): InferenceRecord => ({
  deployment,
  requestId: `req-${++n}`,
  timestamp: T0 + n,
  modelName: 'bikes',
  modelVersion: '1',
  variant: 'primary',
  inputs: { hr: 8, temp: 0.5 },
  outputs: { cnt: 123.5 },
  latencyMs: 1.25,
  ...over,
});

export function inferenceLogStoreContract(name: string, make: () => Promise<InferenceLogFixture>): void {
  describe(`InferenceLogStore contract: ${name}`, () => {
    let f: InferenceLogFixture;
    beforeAll(async () => (f = await make()));
    afterAll(() => f?.cleanup());

    it('reads back a window in time order with inputs and outputs intact', async () => {
      const recs = [record('a', { timestamp: T0 + 30 }), record('a', { timestamp: T0 + 10 }), record('a', { timestamp: T0 + 20, inputs: { s: 'ü', x: null } })];
      await f.store.append(recs);
      const got = await f.store.readWindow({ deployment: 'a', from: T0, to: T0 + 1000 });
      expect(got.map((r) => r.timestamp)).toEqual([T0 + 10, T0 + 20, T0 + 30]);
      expect(got[1]).toMatchObject({ inputs: { s: 'ü', x: null }, outputs: { cnt: 123.5 }, label: null, labelTimestamp: null, latencyMs: 1.25 });
      expect(await f.store.readWindow({ deployment: 'a', from: T0 + 20, to: T0 + 30 })).toHaveLength(1);
      expect(await f.store.readWindow({ deployment: 'other', from: T0, to: T0 + 1000 })).toEqual([]);
    });

    it('stores a request body as received and reads back the same inputs as logged values', async () => {
      const oip = { id: 'x', inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', data: [[1, 2]] }, { name: 'flag', shape: [1], datatype: 'BOOL', data: [true] }], parameters: { p: 1 } };
      const body = { records: [{ hr: 8, temp: 0.5 }, { hr: 9, temp: null }] };
      await f.store.append([
        record('raw', { timestamp: T0 + 1, inputs: null, request: { endpoint: 'oip', json: JSON.stringify(oip) } }),
        record('raw', { timestamp: T0 + 2, inputs: null, request: { endpoint: 'records', json: JSON.stringify(body) } }),
        record('raw', { timestamp: T0 + 3, inputs: { features: [[1, 2]], flag: [true] } }),
      ]);
      const got = await f.store.readWindow({ deployment: 'raw', from: T0, to: T0 + 10 });
      expect(got.map((r) => r.inputs)).toEqual([{ features: [[1, 2]], flag: [true] }, body.records, { features: [[1, 2]], flag: [true] }]);
      expect(got[0]).not.toHaveProperty('request');
    });

    it('joins labels by request id whether they arrive after or before the prediction', async () => {
      const early = record('b');
      expect(await f.store.putLabels('b', [{ requestId: early.requestId, label: 140, timestamp: T0 + 500 }])).toBe(1);
      const late = record('b');
      await f.store.append([early, late, record('b')]);
      expect(await f.store.putLabels('b', [{ requestId: late.requestId, label: 99 }])).toBe(1);
      // A corrected label replaces the first one and is not counted as new.
      expect(await f.store.putLabels('b', [{ requestId: late.requestId, label: 100 }])).toBe(0);
      const labeled = await f.store.readWindow({ deployment: 'b', from: T0, to: T0 + 10_000, labeledOnly: true });
      expect(labeled.map((r) => [r.requestId, r.label])).toEqual([
        [early.requestId, 140],
        [late.requestId, 100],
      ]);
      expect(labeled[0]!.labelTimestamp).toBe(T0 + 500);
    });

    it('appends a batch spread over thousands of minutes in one call', async () => {
      // Built here rather than by record(), whose running count dates the other tests' records.
      const recs: InferenceRecord[] = Array.from({ length: 6_000 }, (_, i) => ({ deployment: 'minutes', requestId: `min-${i}`, timestamp: T0 + i * 60_000, modelName: 'bikes', modelVersion: '1', variant: 'primary', inputs: { hr: 8 }, outputs: { cnt: i }, latencyMs: 1 }));
      await f.store.append(recs);
      expect(await f.store.count('minutes', T0, T0 + 6_000 * 60_000)).toEqual({ primary: 6_000, shadow: 0 });
      expect((await f.store.readWindow({ deployment: 'minutes', from: T0 + 5_999 * 60_000, to: T0 + 6_000 * 60_000 }))[0]!.requestId).toBe(recs[5_999]!.requestId);
    });

    it('takes tens of thousands of labels in one call', async () => {
      const labels = Array.from({ length: 40_000 }, (_, i) => ({ requestId: `many-${i}`, label: i }));
      expect(await f.store.putLabels('many', labels)).toBe(40_000);
      expect(await f.store.putLabels('many', labels.slice(0, 35_000))).toBe(0);
    });

    it('filters by variant and version and counts by variant', async () => {
      await f.store.append([record('c'), record('c', { variant: 'shadow', modelVersion: '2' }), record('c', { variant: 'shadow', modelVersion: '2' })]);
      expect(await f.store.count('c', T0, T0 + 10_000)).toEqual({ primary: 1, shadow: 2 });
      expect(await f.store.readWindow({ deployment: 'c', from: T0, to: T0 + 10_000, variant: 'shadow' })).toHaveLength(2);
      expect(await f.store.readWindow({ deployment: 'c', from: T0, to: T0 + 10_000, modelVersion: '1' })).toHaveLength(1);
    });

    it('keeps each deployment to its own records when one batch mixes them, and counts a batch that straddles a window edge', async () => {
      await f.store.append([record('m1', { timestamp: T0 + 100 }), record('m2', { timestamp: T0 + 150 }), record('m1', { timestamp: T0 + 200, variant: 'shadow' }), record('m1', { timestamp: T0 + 300 })]);
      expect((await f.store.readWindow({ deployment: 'm2', from: T0, to: T0 + 1000 })).map((r) => r.timestamp)).toEqual([T0 + 150]);
      expect(await f.store.count('m1', T0, T0 + 1000)).toEqual({ primary: 2, shadow: 1 });
      // The window ends inside the batch: only the records before its end count.
      expect(await f.store.count('m1', T0 + 150, T0 + 300)).toEqual({ primary: 0, shadow: 1 });
      expect(await f.store.count('m1', T0 + 301, T0 + 1000)).toEqual({ primary: 0, shadow: 0 });
    });

    it('applies the limit after the time order and the label filter', async () => {
      const recs = Array.from({ length: 6 }, (_, i) => record('lim', { timestamp: T0 + 60 - i * 10 }));
      await f.store.append(recs.slice(0, 3));
      await f.store.append(recs.slice(3));
      const first = await f.store.readWindow({ deployment: 'lim', from: T0, to: T0 + 1000, limit: 2 });
      expect(first.map((r) => r.timestamp)).toEqual([T0 + 10, T0 + 20]);
      await f.store.putLabels('lim', [{ requestId: recs[0]!.requestId, label: 1 }, { requestId: recs[2]!.requestId, label: 3 }]);
      const labeled = await f.store.readWindow({ deployment: 'lim', from: T0, to: T0 + 1000, labeledOnly: true, limit: 1 });
      expect(labeled.map((r) => [r.timestamp, r.label])).toEqual([[T0 + 40, 3]]);
    });

    it('reads back a batch whose record has a non-finite latency or odd text, the others intact', async () => {
      await f.store.append([
        record('odd', { timestamp: T0 + 1, latencyMs: Number.NaN, requestId: 'id "quoted"\n', outputs: { cnt: [1, null] } }),
        record('odd', { timestamp: T0 + 2, inputs: { s: '\u2028 ] , 😀 ü' }, modelVersion: 'v"2' }),
        record('odd', { timestamp: T0 + 3, inputs: null, request: { endpoint: 'records', json: '{"records":[{"e":"😀"}]}' } }),
      ]);
      const got = await f.store.readWindow({ deployment: 'odd', from: T0, to: T0 + 10 });
      expect(got.map((r) => [r.requestId, r.latencyMs, r.outputs])).toEqual([
        ['id "quoted"\n', null, { cnt: [1, null] }],
        [expect.any(String), 1.25, { cnt: 123.5 }],
        [expect.any(String), 1.25, { cnt: 123.5 }],
      ]);
      expect(got[1]).toMatchObject({ inputs: { s: '\u2028 ] , 😀 ü' }, modelVersion: 'v"2' });
      expect(got[2]!.inputs).toEqual([{ e: '😀' }]);
    });

    it('reads a window anywhere in the log, from a batch whose records span hours', async () => {
      const h = 3_600_000;
      await f.store.append([record('span', { timestamp: T0 }), record('span', { timestamp: T0 + 2 * h }), record('span', { timestamp: T0 + 5 * h, variant: 'shadow' }), record('span', { timestamp: T0 + 2 * h + 1 })]);
      expect((await f.store.readWindow({ deployment: 'span', from: T0 + h, to: T0 + 3 * h })).map((r) => r.timestamp - T0)).toEqual([2 * h, 2 * h + 1]);
      expect(await f.store.count('span', T0 + 1, T0 + 6 * h)).toEqual({ primary: 2, shadow: 1 });
      expect(await f.store.readWindow({ deployment: 'span', from: T0, to: T0 + 6 * h, limit: 0 })).toEqual([]);
      expect(await f.store.readWindow({ deployment: 'span', from: T0, to: T0 + 6 * h, limit: 0, labeledOnly: true })).toEqual([]);
    });

    it('the writer samples primary traffic, keeps every shadow record and flushes on close', async () => {
      let i = 0;
      const writer = new InferenceLogWriter(f.store, { sampleRate: 0.5, random: () => (i++ % 2 ? 0.9 : 0.1), flushIntervalMs: 60_000 });
      for (let k = 0; k < 10; k++) writer.log(record('d'));
      for (let k = 0; k < 3; k++) writer.log(record('d', { variant: 'shadow' }));
      expect(await f.store.count('d', T0, T0 + 1e9)).toEqual({ primary: 0, shadow: 0 });
      await writer.close();
      expect(await f.store.count('d', T0, T0 + 1e9)).toEqual({ primary: 5, shadow: 3 });
    });

    it('the writer keeps records through a store failure and writes them on the next flush', async () => {
      let failNext = true;
      const flaky: InferenceLogStore = {
        ...f.store,
        append: async (records) => {
          if (failNext) {
            failNext = false;
            throw new Error('database is locked');
          }
          return f.store.append(records);
        },
      };
      const errors: unknown[] = [];
      const writer = new InferenceLogWriter(flaky, { flushIntervalMs: 60_000, onError: (e) => errors.push(e) });
      writer.log(record('e'));
      writer.log(record('e'));
      await writer.flush();
      expect(errors).toHaveLength(1);
      await writer.close();
      expect((await f.store.count('e', T0, T0 + 1e9)).primary).toBe(2);
      expect(writer.dropped).toBe(0);
    });
  });
}
