import { Table, makeVector, tableToIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTmpDir } from './tmp-dir.js';
import { IdMap, fromTable, loadInteractions, readArrow, readParquet, writeArrow, writeParquet } from '../src/index.js';

const tmp = makeTmpDir('large-ids');
afterAll(() => tmp.cleanup());

const users = [9007199254740992n, 9007199254740993n, 9007199254740994n];

describe('integer ids beyond 2^53 stay exact in Arrow and Parquet', () => {
  it('an Int64 id column gives bigint raw ids above 2^53 - 1 (numbers below), never rounded', async () => {
    const t = new Table({
      user: makeVector(new BigInt64Array([...users, 7n])),
      item: makeVector(new BigUint64Array([18446744073709551615n, 18446744073709551614n, 18446744073709551615n, 1n])),
    });
    const d = fromTable(t);
    expect(d.numUsers).toBe(4);
    expect(d.userIdMap.rawIds()).toEqual([...users, 7]);
    expect(users.map((_, k) => String(d.userIdMap.toRaw(k)))).toEqual(['9007199254740992', '9007199254740993', '9007199254740994']);
    expect(d.itemIdMap.rawIds()).toEqual([18446744073709551615n, 18446744073709551614n, 1]);
    expect(d.userIdMap.get(9007199254740993n)).toBe(1);
    const p = tmp.write('ids.arrow', tableToIPC(t, 'file'));
    expect((await readArrow(p)).userIdMap.rawIds()).toEqual([...users, 7]);
    const q = tmp.write('ids.parquet', '');
    await writeParquet(t, q);
    expect((await readParquet(q)).itemIdMap.rawIds()).toEqual([18446744073709551615n, 18446744073709551614n, 1]);
  });

  it('a dataset with such ids reloads with the same ids (id maps in the metadata), and its maps round-trip through JSON', async () => {
    const d = await loadInteractions(tmp.write('ids.csv', `user,item\n${users.join(',1\n')},1\n`));
    expect(d.userIdMap.rawIds()).toEqual(users);
    for (const [name, write] of [['back.arrow', writeArrow], ['back.parquet', writeParquet]] as const) {
      const p = tmp.write(name, '');
      await write(d, p);
      const back = await loadInteractions(p);
      expect(back.userIdMap.rawIds()).toEqual(users);
      expect(back.userIdMap.get(9007199254740994n)).toBe(2);
    }
    const json = JSON.parse(JSON.stringify(d.userIdMap));
    expect(json).toMatchObject({ type: 'bigint', ids: ['9007199254740992', '9007199254740993', '9007199254740994'] });
    const restored = IdMap.fromJSON(json);
    expect(restored.rawIds()).toEqual(users);
    expect(restored.toIndex(9007199254740993n)).toBe(1);
    expect(restored.get(9007199254740993)).toBe(-1); // the number rounds to 2^53: a different id
  });
});
