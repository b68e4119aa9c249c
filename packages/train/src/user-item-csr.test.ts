import { describe, expect, it } from 'vitest';
import { triples } from '../test/fake-models.js';
import { userItemCsr } from './user-item-csr.js';

describe('userItemCsr', () => {
  it('groups rows by user with items sorted and ratings aligned', () => {
    const csr = userItemCsr(triples([[1, 3, 1], [0, 2, 2], [1, 0, 3], [0, 1, 4], [1, 2, 5]], 3, 4));
    expect([...csr.indptr]).toEqual([0, 2, 5, 5]);
    expect([...csr.indices]).toEqual([1, 2, 0, 2, 3]);
    expect([...csr.values!]).toEqual([4, 2, 3, 5, 1]);
  });
  it('uses toCsr() when the data has one', () => {
    const cached = { indptr: Int32Array.of(0), indices: new Int32Array(0), values: null };
    expect(userItemCsr({ ...triples([], 0, 0), toCsr: () => cached } as never)).toBe(cached);
  });
});
