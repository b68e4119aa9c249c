import { describe, expect, it } from 'vitest';
import { QuiverError, quiverError } from './quiver-error.js';

describe('QuiverError', () => {
  it('carries where / what / got / hint; the message is built from them', () => {
    const e = new QuiverError({ where: 'readCsv', what: 'r.csv:7: rating must be a finite number', got: '"x"', hint: { option: 'onInvalid', value: 'skip' }, tail: "; pass onInvalid: 'skip' to drop invalid lines" });
    expect(e.message).toBe(`readCsv: r.csv:7: rating must be a finite number, got "x"; pass onInvalid: 'skip' to drop invalid lines`);
    expect(e).toMatchObject({ where: 'readCsv', what: 'r.csv:7: rating must be a finite number', got: '"x"', kind: 'Error' });
    expect(e.hint).toEqual({ option: 'onInvalid', value: 'skip' });
    expect(e.tail).toBe("; pass onInvalid: 'skip' to drop invalid lines");
    expect(e.message).toBe(`${e.where}: ${e.what}, got ${e.got}${e.tail}`);
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(QuiverError);
    expect(new QuiverError({ where: 'f', what: 'x must be 1', got: '2', hint: { option: 'x', value: '1' } }).message).toBe('f: x must be 1, got 2; pass x: 1');
    expect(new QuiverError({ where: 'f', what: 'x must be 1' }).hint).toBeNull();
    expect(new QuiverError({ where: 'f', what: 'x must be 1' }).got).toBeNull();
    // The parts are not enumerable: logging and deep equality see a plain error.
    expect(Object.keys(e)).toEqual([]);
  });

  it('keeps the RangeError / TypeError class of the kind asked for, and instanceof QuiverError holds for all', () => {
    const r = quiverError('RangeError', { where: 'readCsv', what: 'big.csv is 9 bytes, over the memory budget options.maxBytes = 1', hint: { option: 'maxBytes', value: '9' }, tail: '; raise maxBytes, or split the file' });
    expect(r).toBeInstanceOf(RangeError);
    expect(r).toBeInstanceOf(QuiverError);
    expect(r).toMatchObject({ kind: 'RangeError', where: 'readCsv', name: 'RangeError' });
    expect(r.message).toBe('readCsv: big.csv is 9 bytes, over the memory budget options.maxBytes = 1; raise maxBytes, or split the file');
    const t = quiverError('TypeError', { where: 'columnsFromTable', what: 'column "user" must be Int32', got: 'Int64', hint: { option: 'convert', value: 'true' } });
    expect(t).toBeInstanceOf(TypeError);
    expect(t).toBeInstanceOf(QuiverError);
    expect(t.kind).toBe('TypeError');
    expect(() => {
      throw r;
    }).toThrow(RangeError);
    expect(new RangeError('x')).not.toBeInstanceOf(QuiverError);
    expect(new Error('x')).not.toBeInstanceOf(QuiverError);
    expect((null as unknown) instanceof QuiverError).toBe(false);
    expect(quiverError('Error', { where: 'f', what: 'w' })).toBeInstanceOf(QuiverError);
  });
});
