/**
 * Where a worker thread's script is. Workers load compiled JavaScript: next to the caller in dist/,
 * or — when the caller runs from its TypeScript source (tests) — the build's copy in dist/
 * (`npm test` builds first).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GyreError } from './errors.js';

export function compiledWorker(callerUrl: string, workerFile: string): URL {
  const sibling = new URL(`./${workerFile}`, callerUrl);
  if (fs.existsSync(fileURLToPath(sibling))) return sibling;
  const built = new URL(sibling.href.replace('/src/', '/dist/'));
  if (fs.existsSync(fileURLToPath(built))) return built;
  throw new GyreError('INTERNAL', `The worker script ${workerFile} is not built; run 'npm run build'.`, { workerFile });
}
