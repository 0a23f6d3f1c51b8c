/** Reading a training job's data: a file or dataset version as a trainer frame, and its train/test split. */
import type { ColumnSchema } from '../data/entities.js';
import type { DataService } from '../data/data-service.js';
import { invalidArgument } from '../core/errors.js';
import { columnFromValues, createFrame, getColumn, selectRows } from './dataset/frame.js';
import type { Frame } from './dataset/frame.js';
import { randomSplit } from './random.js';

/** The data service's columns as a trainer frame: numbers stay numbers (null → NaN), the rest are categories. */
export function toFrame(schema: ColumnSchema[], columns: Record<string, unknown[]>): Frame {
  return createFrame(schema.map((c) => columnFromValues(c.name, columns[c.name]!, c.type === 'integer' || c.type === 'number')));
}

export interface TrainingData {
  label: string;
  train: Frame;
  test: Frame;
}

export async function readTrainingData(
  data: DataService,
  job: { data: string; test?: string; testShare?: number; seed?: number; target: string; readOptions?: unknown },
): Promise<TrainingData> {
  const read = async (ref: string) => {
    const t = await data.readColumns(ref, { readOptions: job.readOptions });
    return { label: t.label, frame: toFrame(t.schema, t.columns) };
  };
  const all = await read(job.data);
  getColumn(all.frame, job.target); // unknown target: a clear error before anything is tracked
  if (job.test) {
    const test = (await read(job.test)).frame;
    checkTestClasses(all.frame, test, job.target);
    return { label: all.label, train: all.frame, test };
  }
  const share = job.testShare ?? 0.2;
  if (!(share > 0 && share < 1)) throw invalidArgument(`--test-share must be between 0 and 1, got ${share}.`, { field: 'testShare' });
  const split = randomSplit(all.frame.nRows, share, job.seed ?? 42);
  return { label: all.label, train: selectRows(all.frame, split.train), test: selectRows(all.frame, split.test) };
}

/**
 * A test set whose class labels the training set never had would score every such row as wrong
 * (Adult's adult.test writes '>50K.' where adult.data writes '>50K'): refuse it, naming the labels.
 */
export function checkTestClasses(train: Frame, test: Frame, target: string): void {
  const trainCol = getColumn(train, target);
  const testCol = getColumn(test, target);
  if (trainCol.kind !== 'categorical') {
    if (testCol.kind !== 'numeric') throw invalidArgument(`Target '${target}' is numeric in the training data but not in the test data.`, { target });
    return;
  }
  const known = new Set(trainCol.categories);
  const labels = testCol.kind === 'categorical' ? testCol.categories.filter((c, i) => testCol.codes.includes(i)) : [...new Set(Array.from(testCol.values, String))];
  const unseen = labels.filter((l) => !known.has(l));
  if (unseen.length) {
    const show = (xs: readonly string[]) => xs.slice(0, 8).map((x) => `'${x}'`).join(', ');
    throw invalidArgument(`The test data's target '${target}' has ${unseen.length} class(es) the training data never had (${show(unseen)}); the model knows ${show(trainCol.categories)}. Make the labels agree (e.g. strip a trailing '.') and retry.`, { target, unseen: unseen.slice(0, 20) });
  }
}
