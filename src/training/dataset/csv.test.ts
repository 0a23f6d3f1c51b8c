import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { asCategorical, getColumn, selectRows } from './frame.js';

describe('parseCsv', () => {
  it('infers numeric and categorical columns, trims fields and reads ? as missing', () => {
    const f = parseCsv('|a comment line\nage, city, y\n39, Paris, 1.5\n?, ?, 2\n41, Lyon, 3\n');
    expect(f.nRows).toBe(3);
    const age = getColumn(f, 'age');
    expect(age.kind).toBe('numeric');
    expect(age.kind === 'numeric' && Array.from(age.values)).toEqual([39, NaN, 41]);
    const city = getColumn(f, 'city');
    expect(city.kind === 'categorical' && [Array.from(city.codes), city.categories]).toEqual([[0, -1, 1], ['Paris', 'Lyon']]);
  });

  it('honours forced types and explicit headers', () => {
    const f = parseCsv('1,2\n3,4', { header: ['a', 'b'], types: { a: 'categorical' } });
    expect(getColumn(f, 'a').kind).toBe('categorical');
    expect(getColumn(f, 'b').kind).toBe('numeric');
  });

  it('rejects ragged lines and unknown columns with clear errors', () => {
    expect(() => parseCsv('a,b\n1,2,3')).toThrow(/line 1 has 3 fields, expected 2/);
    expect(() => getColumn(parseCsv('a\n1'), 'z')).toThrow(/Unknown column 'z'/);
  });

  it('selects rows and reads numbers as categories', () => {
    const f = parseCsv('s,v\n2,a\n1,b\n2,c');
    const sub = selectRows(f, [2, 0]);
    const s = asCategorical(getColumn(sub, 's'));
    expect([Array.from(s.codes), s.categories]).toEqual([[0, 0], ['2']]);
  });
});
