/** The error-path scanner must point at the first bad line and never accuse a valid file. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/test-databases.js';
import { findCsvProblem } from './csv-problem.js';

const dir = tempDir('gyre-csv-problem-');
const dialect = { delimiter: ',', quote: '"', skip: 0, checkUtf8: true };
const scan = (content: string | Buffer, d = dialect) => {
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(file, content);
  return findCsvProblem(file, d);
};

describe('findCsvProblem', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts valid files: CRLF, quoted delimiters, newlines and doubled quotes, blank last line, no final newline', async () => {
    expect(await scan('a,b\r\n1,"x,y"\r\n2,"multi\nline"\r\n3,"say ""hi"""\r\n\r\n')).toBeNull();
    expect(await scan('a,b\n1,2')).toBeNull();
    expect(await scan('a;b\n1;2\n', { ...dialect, delimiter: ';' })).toBeNull();
  });

  it('reports the line a bad record starts on, counting lines inside quoted fields', async () => {
    expect(await scan('a,b\n1,"two\nlines"\n3,4,5\n')).toEqual({ line: 4, message: 'expected 2 fields, found 3' });
    expect(await scan('a,b\n1\n')).toEqual({ line: 2, message: 'expected 2 fields, found 1' });
  });

  it('skips preamble lines before counting fields', async () => {
    expect(await scan('exported by tool v1\na,b\n1,2\n', { ...dialect, skip: 1 })).toBeNull();
  });

  it('finds invalid UTF-8 on its line', async () => {
    expect(await scan(Buffer.concat([Buffer.from('a\nok\n'), Buffer.from([0xff, 0x41]), Buffer.from('\n')]))).toMatchObject({ line: 3 });
  });
});
