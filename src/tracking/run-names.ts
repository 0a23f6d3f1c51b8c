import { randomInt } from 'node:crypto';

// Readable default run names in MLflow's "adjective-noun-123" style, so people can tell runs apart
// in lists without opening them.
const ADJECTIVES = ['amber', 'bold', 'brisk', 'calm', 'clever', 'crisp', 'daring', 'eager', 'fierce', 'gentle', 'glad', 'keen', 'lively', 'lucid', 'merry', 'nimble', 'quiet', 'rapid', 'serene', 'steady', 'swift', 'vivid', 'wise', 'zesty'];
const NOUNS = ['badger', 'comet', 'delta', 'falcon', 'fjord', 'gyre', 'harbor', 'heron', 'lynx', 'maple', 'meadow', 'orca', 'otter', 'pine', 'quartz', 'raven', 'reef', 'river', 'sparrow', 'summit', 'tide', 'willow', 'wren', 'yak'];

export function generateRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
