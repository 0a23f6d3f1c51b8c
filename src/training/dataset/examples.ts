import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from './csv.js';
import type { Frame } from './frame.js';

/**
 * The example datasets shipped in examples/data (see its README for attribution), as frames, for
 * tests, benchmarks and the demo. Adult's test labels end with '.' (`>50K.`); they are stripped here
 * so train and test share one label set.
 */
export function loadAdult(dataDir: string): { train: Frame; test: Frame } {
  const read = (file: string) => {
    const text = fs.readFileSync(path.join(dataDir, 'adult', file), 'utf8').replace(/(50K)\.$/gm, '$1');
    return parseCsv(text, { header: true, missing: ['?', ''] });
  };
  return { train: read('adult.data'), test: read('adult.test') };
}

export const BIKE_FEATURES = ['season', 'mnth', 'hr', 'holiday', 'weekday', 'workingday', 'weathersit', 'temp', 'atemp', 'hum', 'windspeed'] as const;

export function loadBikeSharing(dataDir: string): Frame {
  return parseCsv(fs.readFileSync(path.join(dataDir, 'bike-sharing', 'hour.csv'), 'utf8'), { types: { dteday: 'categorical' } });
}
