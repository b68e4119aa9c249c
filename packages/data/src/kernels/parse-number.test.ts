import { describe, expect, it } from 'vitest';
import { parseDecimalBytes, parseIntBytes, parseIntIdBytes } from './parse-number.js';

const b = (s: string) => Buffer.from(s, 'latin1');
const int = (s: string) => parseIntBytes(b(s), 0, s.length);
const dec = (s: string) => parseDecimalBytes(b(s), 0, s.length);

describe('parseIntBytes', () => {
  it('parses integers like Number() and rejects everything else', () => {
    for (const s of ['0', '7', '-12', '123456789012345', ' 42 ', '007']) expect(int(s)).toBe(Number(s));
    for (const s of ['', '-', '1.5', '1e3', 'abc', '12a', '1234567890123456', '+1']) expect(int(s)).toBeNaN();
  });
});

describe('parseDecimalBytes', () => {
  it('matches Number() (correctly rounded) on decimals', () => {
    const cases = ['0', '4.0', '3.5', '-0.25', '+2', '.5', '5.', '0.1', '0.3', '964982703', '1.0000000000001', '123456.789012345', ' 2.5 '];
    for (const s of cases) expect(dec(s)).toBe(Number(s));
  });
  it('falls back to Number() for exponents and long mantissas', () => {
    for (const s of ['1e3', '2.5E-2', '12345678901234567890', '0.12345678901234567']) expect(dec(s)).toBe(Number(s));
  });
  it('rejects NaN, infinities, empty and garbage', () => {
    for (const s of ['', 'NaN', 'nan', 'inf', 'Infinity', '-', '.', '1..2', '1,5', '3 stars', '1e', '0x10']) expect(dec(s)).toBeNaN();
  });
  it('parses a sub-range of a larger buffer', () => {
    const buf = b('1,4.5,99');
    expect(parseDecimalBytes(buf, 2, 5)).toBe(4.5);
    expect(parseIntBytes(buf, 6, 8)).toBe(99);
  });
});

describe('parseIntIdBytes', () => {
  const id = (s: string) => parseIntIdBytes(b(s), 0, s.length);
  it('keeps every integer exact: safe integers as numbers, larger ones as bigints', () => {
    expect(id('7')).toBe(7);
    expect(id(' 007 ')).toBe(7);
    expect(id('9007199254740991')).toBe(9007199254740991);
    expect(id('-9007199254740991')).toBe(-9007199254740991);
    expect(id('9007199254740992')).toBe(9007199254740992n);
    expect(id('9007199254740993')).toBe(9007199254740993n);
    expect(id('18446744073709551615')).toBe(18446744073709551615n);
    expect(id('-9223372036854775808')).toBe(-9223372036854775808n);
    for (const s of ['', '-', '1.5', '1e20', '+1', '12a', '9007199254740993x', ' ']) expect(id(s)).toBeNull();
  });
});
