/**
 * Finds the first malformed line of a CSV file, so a read error can name the file and line.
 * DuckDB refuses bad files but cannot always say where (its sniffer fails on small files without a
 * line number); this scan runs only on that error path. It works on bytes: the delimiter, quote
 * and newline are ASCII, and UTF-8 continuation bytes never are.
 */
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';

export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvDialect {
  delimiter: string;
  quote: string;
  skip: number;
  checkUtf8: boolean;
}

export async function findCsvProblem(file: string, dialect: CsvDialect): Promise<CsvProblem | null> {
  const delim = dialect.delimiter.charCodeAt(0);
  const quote = dialect.quote.charCodeAt(0);
  const NL = 10;
  const CR = 13;
  let line = 1; // physical line of the current byte
  let recordStart = 1; // physical line where the current record began
  let fields = 1;
  let expected: number | null = null;
  let inQuote = false;
  let afterQuote = false; // just saw a quote that may close a quoted field
  let fieldStart = true;
  let lineBytes: number[] = [];
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (dialect.checkUtf8) lineBytes.push(b);
      if (inQuote) {
        if (b === quote) {
          inQuote = false;
          afterQuote = true;
        } else if (b === NL) line++;
        continue;
      }
      if (afterQuote && b === quote) {
        // A doubled quote inside a quoted field is an escaped quote.
        inQuote = true;
        afterQuote = false;
        continue;
      }
      if (afterQuote && b !== delim && b !== NL && b !== CR) {
        return { line, message: `bad quoting: text after the closing quote of a field (${describeRecord(recordStart, line)})` };
      }
      afterQuote = false;
      if (b === quote) {
        if (!fieldStart) return { line, message: 'bad quoting: a quote inside an unquoted field' };
        inQuote = true;
        fieldStart = false;
        continue;
      }
      if (b === delim) {
        fields++;
        fieldStart = true;
        continue;
      }
      if (b === CR) continue;
      if (b === NL) {
        if (dialect.checkUtf8 && !isUtf8(Buffer.from(lineBytes))) return { line, message: 'not valid UTF-8 text (set the encoding read option, e.g. latin-1)' };
        lineBytes = [];
        const blank = fields === 1 && fieldStart;
        if (recordStart > dialect.skip && !blank) {
          if (expected === null) expected = fields;
          else if (fields !== expected) return { line: recordStart, message: `expected ${expected} fields, found ${fields}` };
        }
        line++;
        recordStart = line;
        fields = 1;
        fieldStart = true;
        continue;
      }
      fieldStart = false;
    }
  }
  if (inQuote) return { line: recordStart, message: 'bad quoting: a quoted field is never closed' };
  if (dialect.checkUtf8 && lineBytes.length && !isUtf8(Buffer.from(lineBytes))) return { line, message: 'not valid UTF-8 text (set the encoding read option, e.g. latin-1)' };
  const blank = fields === 1 && fieldStart;
  if (!blank && expected !== null && fields !== expected && recordStart > dialect.skip) return { line: recordStart, message: `expected ${expected} fields, found ${fields}` };
  return null;
}

function describeRecord(start: number, line: number): string {
  return start === line ? `line ${line}` : `record starting on line ${start}`;
}
