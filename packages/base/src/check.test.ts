import { describe, expect, it } from 'vitest';
import { checkFinite, checkId, checkIdArray, checkIndices, checkInRange, checkOneOf, checkOptionNames, checkPositiveInt, describeValue, unravel } from './check.js';
import { QuiverError } from './quiver-error.js';

describe('check helpers', () => {
  it('name the place, the parameter, the rule and the bad value', () => {
    expect(() => checkPositiveInt('F', 'n', 0)).toThrow(new RangeError('F: n must be a positive integer, got 0'));
    expect(() => checkPositiveInt('F', 'n', '3')).toThrow(new TypeError('F: n must be a positive integer, got "3"'));
    expect(() => checkFinite('F', 'lr', NaN)).toThrow(/F: lr must be a finite number, got NaN/);
    expect(() => checkInRange('Adam', 'betas[1]', 1, 0, 1, { hiOpen: true })).toThrow(/Adam: betas\[1\] must be in \[0, 1\), got 1/);
    expect(checkInRange('F', 'x', 0.5, 0, 1)).toBe(0.5);
    expect(() => checkOneOf('F', 'mode', 'x', ['a', 'b'])).toThrow(/F: mode must be one of 'a', 'b', got "x"/);
    expect(() => checkOptionNames('F', { lr: 1, lrr: 2 }, ['lr'])).toThrow(/F: unknown option "lrr"; the options are "lr"/);
    expect(() => checkIndices('F', 'idx', [0, 5], 5, [1, 2])).toThrow(/F: idx\[0, 1\] = 5 is out of range; indices must be integers in \[0, 4\]/);
  });
  it('describe never dumps big values', () => {
    expect(describeValue(new Float32Array(1e6))).toBe('Float32Array(1000000)');
    expect(describeValue([1, 2])).toBe('Array(2)');
    expect(describeValue(5n)).toBe('5n');
    expect(unravel(5, [2, 3])).toEqual([1, 2]);
    expect(describeValue('x'.repeat(100))).toBe(JSON.stringify(`${'x'.repeat(77)}...`));
  });
  it('throw QuiverErrors whose parts rebuild the message, and stay TypeError / RangeError', () => {
    const caught = (f: () => unknown): QuiverError => {
      try {
        f();
      } catch (e) {
        return e as QuiverError;
      }
      throw new Error('did not throw');
    };
    const e = caught(() => checkPositiveInt('BiasedMF', 'factors', 0));
    expect(e).toBeInstanceOf(QuiverError);
    expect(e).toBeInstanceOf(RangeError);
    expect({ where: e.where, what: e.what, got: e.got, kind: e.kind, hint: e.hint }).toEqual({ where: 'BiasedMF', what: 'factors must be a positive integer', got: '0', kind: 'RangeError', hint: null });
    expect(e.message).toBe(`${e.where}: ${e.what}, got ${e.got}`);
    const t = caught(() => checkIdArray('P', 'items', [1], 3));
    expect(t).toBeInstanceOf(TypeError);
    expect(t.got).toBe('Array(1)');
    expect(caught(() => checkId('P', 'user', 7, 5)).message).toBe('P: user must be in [0, 4], got 7');
    expect(caught(() => checkIdArray('P', 'items', Int32Array.of(0, 9), 3)).message).toBe('P: items[1] must be in [0, 2], got 9');
    expect(new Error('plain')).not.toBeInstanceOf(QuiverError);
  });
});
