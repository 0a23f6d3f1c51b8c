import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { ERROR_CODES } from './errors.js';

// The error catalogue in docs/errors.md is what users read; it must list exactly the codes the
// code can raise, with the same statuses.
describe('docs/errors.md', () => {
  const doc = fs.readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| `([A-Z_]+)` \| (\d+) \|/gm)].map((m) => ({ code: m[1], status: Number(m[2]), mlflow: m[3], mlflowStatus: Number(m[4]) }));

  it('lists every error code with its statuses', () => {
    expect(rows.map((r) => r.code).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const row of rows) {
      const code = ERROR_CODES[row.code as keyof typeof ERROR_CODES];
      expect(row, row.code).toEqual({ code: row.code, status: code.status, mlflow: code.mlflow, mlflowStatus: code.mlflowStatus });
    }
  });
});
