import { describe, expect, it } from 'vitest';
import { DataInputError, dataInputError } from './data-input-error.js';

describe('DataInputError', () => {
  it('splits the message into where / what / hint; the message reads as before', () => {
    const e = new DataInputError('readCsv', 'r.csv:7: rating must be a finite number, got "x"', { option: 'onInvalid', value: 'skip' }, "; pass onInvalid: 'skip' to drop invalid lines");
    expect(e.message).toBe(`readCsv: r.csv:7: rating must be a finite number, got "x"; pass onInvalid: 'skip' to drop invalid lines`);
    expect(e).toMatchObject({ name: 'DataInputError', where: 'readCsv', what: 'r.csv:7: rating must be a finite number, got "x"', kind: 'Error' });
    expect(e.hint).toEqual({ option: 'onInvalid', value: 'skip' });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(DataInputError);
    expect(String(e)).toMatch(/^DataInputError: readCsv: r.csv:7/);
    expect(new DataInputError('f', 'x must be 1, got 2', { option: 'x', value: '1' }).message).toBe('f: x must be 1, got 2; pass x: 1');
    expect(new DataInputError('f', 'x must be 1, got 2').hint).toBeNull();
  });

  it('keeps the RangeError / TypeError class of errors that had one, and instanceof DataInputError holds for all', () => {
    const r = dataInputError('RangeError', 'readCsv', 'big.csv is 9 bytes, over the memory budget options.maxBytes = 1', { option: 'maxBytes', value: '9' }, '; raise maxBytes, or split the file');
    expect(r).toBeInstanceOf(RangeError);
    expect(r).toBeInstanceOf(DataInputError);
    expect(r).toMatchObject({ name: 'DataInputError', kind: 'RangeError', where: 'readCsv' });
    expect(r.message).toBe('readCsv: big.csv is 9 bytes, over the memory budget options.maxBytes = 1; raise maxBytes, or split the file');
    const t = dataInputError('TypeError', 'columnsFromTable', 'column "user" must be Int32, got Int64', { option: 'convert', value: 'true' });
    expect(t).toBeInstanceOf(TypeError);
    expect(t).toBeInstanceOf(DataInputError);
    expect(t.kind).toBe('TypeError');
    expect(() => {
      throw r;
    }).toThrow(RangeError);
    expect(new RangeError('x')).not.toBeInstanceOf(DataInputError);
    expect(new Error('x')).not.toBeInstanceOf(DataInputError);
    expect((null as unknown) instanceof DataInputError).toBe(false);
    expect(dataInputError('Error', 'f', 'w')).toBeInstanceOf(DataInputError);
  });
});
