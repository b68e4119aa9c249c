import { describe, expect, it } from 'vitest';
import { parseColumns, parseDelimiter, parseIntFlag, parseNumberFlag } from './parse-values.js';

describe('CLI value parsing', () => {
  it('parses integers and numbers with one-line errors', () => {
    expect(parseIntFlag('q', '--epochs', '12', 1)).toBe(12);
    expect(parseIntFlag('q', '--epochs', undefined, 1)).toBeUndefined();
    expect(parseIntFlag('q', '--seed', '0', 0)).toBe(0);
    expect(() => parseIntFlag('q', '--epochs', '0', 1)).toThrow(/^q: --epochs must be a positive integer, got "0"$/);
    expect(() => parseIntFlag('q', '--seed', '-1', 0)).toThrow(/^q: --seed must be a non-negative integer, got "-1"$/);
    expect(() => parseIntFlag('q', '--factors', ' ', 1)).toThrow(/--factors must be a positive integer, got " "/);
    // beyond 2^53 - 1 an allocation fails deep inside with "Invalid typed array length"
    expect(() => parseIntFlag('q', '--factors', '1e20', 1)).toThrow(/^q: --factors must be a positive integer <= 9007199254740991, got "1e20"$/);
    expect(parseIntFlag('q', '--seed', '9007199254740991', 0)).toBe(9007199254740991);
    expect(parseNumberFlag('q', '--lr', '1e-3', { lo: 0, loOpen: true })).toBe(0.001);
    expect(() => parseNumberFlag('q', '--lr', '0', { lo: 0, loOpen: true })).toThrow(/^q: --lr must be a number in \(0, Infinity\], got "0"$/);
    expect(() => parseNumberFlag('q', '--relevant-min', 'NaN')).toThrow(/^q: --relevant-min must be a finite number, got "NaN"$/);
  });
  it('parses delimiters by symbol or name', () => {
    expect(parseDelimiter('q', 'tab')).toBe('\t');
    expect(parseDelimiter('q', '\\t')).toBe('\t');
    expect(parseDelimiter('q', '::')).toBe('::');
    expect(parseDelimiter('q', 'space')).toBe(' ');
    expect(() => parseDelimiter('q', ':')).toThrow(/^q: --delimiter must be one of , tab :: ; \| space, got ":"$/);
    // names inherited from Object.prototype are not delimiters
    expect(() => parseDelimiter('q', 'constructor')).toThrow(/^q: --delimiter must be one of , tab :: ; \| space, got "constructor"$/);
    expect(() => parseDelimiter('q', '__proto__')).toThrow(/--delimiter must be one of/);
  });
  it('parses --columns into names or 0-based indices', () => {
    expect(parseColumns('q', 'uid,iid')).toEqual({ user: 'uid', item: 'iid', rating: null, timestamp: null });
    expect(parseColumns('q', '0,1,2,3')).toEqual({ user: 0, item: 1, rating: 2, timestamp: 3 });
    expect(() => parseColumns('q', 'uid')).toThrow(/^q: --columns must be user,item\[,rating\[,timestamp\]\] \(names or 0-based indices\), got "uid"$/);
    expect(() => parseColumns('q', 'a,,c')).toThrow(/--columns must be user,item/);
  });
});
