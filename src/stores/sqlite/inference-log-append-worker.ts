/**
 * Worker-thread side of the threaded inference-log appender: its own better-sqlite3 connection to
 * the same WAL database file, so the appends run beside the event loop that answers predictions.
 * A batch arrives as its records' flat values and is written as its segments
 * (inference-log-segments.ts), in one transaction.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { applyConnectionPragmas } from './sqlite-pragmas.js';
import { SEGMENT_COLUMNS, segmentsOfValues, segmentValues } from '../sql/inference-log-segments.js';

const db = new BetterSqlite3((workerData as { file: string }).file);
// The same settings as the main connection: a writer waits for the other's commit, and the log's
// appends do not checkpoint the WAL ten times as often as the main connection would.
applyConnectionPragmas(db);
const insert = db.prepare(`INSERT INTO inference_log_segments (${SEGMENT_COLUMNS}) VALUES (${SEGMENT_COLUMNS.split(',').map(() => '?').join(', ')})`);

const appendAll = db.transaction((values: unknown[]) => {
  for (const segment of segmentsOfValues(values)) insert.run(segmentValues(segment));
});

parentPort!.on('message', (m: { id: number; values: unknown[] } | { close: true }) => {
  if ('close' in m) {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    appendAll(m.values);
    parentPort!.postMessage({ id: m.id });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: (err as Error).message });
  }
});
