import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMovieLens } from '../src/datasets/load-movielens.js';
import { makeTmpDir } from './tmp-dir.js';

const tmp = makeTmpDir('ml');
afterAll(() => tmp.cleanup());

function folder(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content);
  return dir;
}

const csvLayout = {
  'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n2,1,2.5,964982224\n',
  'movies.csv': 'movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n2,Jumanji (1995),Adventure\n3,"American President, The (1995)",(no genres listed)\n',
};

describe('loadMovieLens layouts', () => {
  it('ml-100k: tab-separated u.data, pipe-separated latin1 u.item with genre flags', async () => {
    const flags = (on: number[]) => Array.from({ length: 19 }, (_, g) => (on.includes(g) ? '1' : '0')).join('|');
    const dir = folder('ml-100k', {
      'u.data': '196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t5\t881251000\n',
      'u.item': Buffer.from(`242|Kolya (1996)|24-Jan-1997||http://x|${flags([5])}\n302|L.A. Confidential (1997)|01-Jan-1997||http://y|${flags([6, 10, 16])}\n303|Caf\xe9 (1990)|01-Jan-1990||http://z|${flags([0])}\n`, 'latin1'),
      'u.genre': "unknown|0\nAction|1\nAdventure|2\nAnimation|3\nChildren's|4\nComedy|5\nCrime|6\nDocumentary|7\nDrama|8\nFantasy|9\nFilm-Noir|10\nHorror|11\nMusical|12\nMystery|13\nRomance|14\nSci-Fi|15\nThriller|16\nWar|17\nWestern|18\n\n",
    });
    const ml = await loadMovieLens('ml-100k', dir);
    expect(ml.interactions.length).toBe(3);
    expect(ml.interactions.userIdMap.rawIds()).toEqual([196, 186]);
    expect(Array.from(ml.interactions.timestamps!)).toEqual([881250949, 891717742, 881251000]);
    const at = (raw: number) => ml.interactions.itemIdMap.toIndex(raw);
    expect(ml.items!.titles[at(242)]).toBe('Kolya (1996)');
    expect(ml.items!.genres[at(242)]).toEqual(['Comedy']);
    expect(ml.items!.genres[at(302)]).toEqual(['Crime', 'Film-Noir', 'Thriller']);
    expect(ml.items!.titles).toHaveLength(2); // movie 303 was never rated
  });

  it('ml-1m: :: files in latin1', async () => {
    const dir = folder('ml-1m', {
      'ratings.dat': '1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n',
      'movies.dat': Buffer.from("1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n661::James and the Giant Peach (1996)::Animation|Children's|Musical\n1::Caf\xe9 (1990)::Comedy\n", 'latin1'),
      'users.dat': '1::F::1::10::48067\n',
    });
    const ml = await loadMovieLens('ml-1m', dir);
    expect(ml.interactions.length).toBe(3);
    expect(Array.from(ml.interactions.ratings!)).toEqual([5, 3, 4]);
    const i = ml.interactions.itemIdMap.toIndex(661);
    expect(ml.items!.titles[i]).toBe('James and the Giant Peach (1996)');
    expect(ml.items!.genres[i]).toEqual(['Animation', "Children's", 'Musical']);
  });

  it('ml-10m: :: files in utf-8 with half-star ratings', async () => {
    const dir = folder('ml-10m', {
      'ratings.dat': '1::122::5::838985046\n1::185::4.5::838983525\n',
      'movies.dat': '122::Boomerang (1992)::Comedy|Romance\n185::Net, The (1995)::Action|Crime|Thriller\n',
    });
    const ml = await loadMovieLens('ml-10m', dir);
    expect(Array.from(ml.interactions.ratings!)).toEqual([5, 4.5]);
    expect(ml.items!.titles).toEqual(['Boomerang (1992)', 'Net, The (1995)']);
  });

  for (const name of ['ml-20m', 'ml-25m', 'ml-latest', 'ml-latest-small'] as const) {
    it(`${name}: headered ratings.csv and movies.csv with quoted titles`, async () => {
      const ml = await loadMovieLens(name, folder(`${name}-fixture`, csvLayout));
      expect(ml.name).toBe(name);
      expect(ml.interactions.length).toBe(3);
      expect(Array.from(ml.interactions.ratings!)).toEqual([4, 4.5, 2.5]);
      const t = ml.interactions.itemIdMap.toIndex(3);
      expect(ml.items!.titles[t]).toBe('American President, The (1995)');
      expect(ml.items!.genres[t]).toEqual([]);
      expect(ml.items!.genres[ml.interactions.itemIdMap.toIndex(1)]).toEqual(['Adventure', 'Animation']);
    });
  }

  it('works without a movies file or with items: false, and reports missing downloads and bad names', async () => {
    const dir = folder('ml-latest-norating', { 'ratings.csv': csvLayout['ratings.csv'] });
    expect((await loadMovieLens('ml-latest', dir)).items).toBeNull();
    expect((await loadMovieLens('ml-latest', folder('ml-latest-2', csvLayout), { items: false })).items).toBeNull();
    await expect(loadMovieLens('ml-20m', join(tmp.dir, 'nothing'))).rejects.toThrow(/loadMovieLens: ml-20m must be downloaded first: .*nothing\/ratings.csv does not exist; run `npm run dataset -w @quiver\/data -- ml-20m`/);
    await expect(loadMovieLens('ml-2m' as never, dir)).rejects.toThrow(/loadMovieLens: name must be one of 'ml-100k', 'ml-1m'/);
    await expect(loadMovieLens('ml-latest', dir, { items: 1 as never })).rejects.toThrow(/options.items must be a boolean, got 1/);
    await expect(loadMovieLens('ml-latest', dir, { item: false } as never)).rejects.toThrow(/^loadMovieLens: unknown option "item"; the options are "items", "duplicates", "onInvalid"/);
    const bad = folder('ml-1m-bad', { 'ratings.dat': '1::2::5::978300760\n1::x::3::978302109\n' });
    await expect(loadMovieLens('ml-1m', bad)).rejects.toThrow(/ratings.dat:2: item id must be an integer/);
    const badMovies = folder('ml-1m-badmovies', { 'ratings.dat': '1::2::5::9\n', 'movies.dat': 'abc::Title::Drama\n' });
    await expect(loadMovieLens('ml-1m', badMovies)).rejects.toThrow(/movies.dat:1: movie id must be an integer, got "abc::Title::Drama"/);
  });
});
