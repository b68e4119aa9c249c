import { describe, expect, it } from 'vitest';
import { loadInteractions } from '../src/load-interactions.js';
import { loadMovieLens } from '../src/datasets/load-movielens.js';
import { resolveDatasetsDir } from '../src/datasets/datasets-dir.js';
import { randomSplit } from '../src/splits/random-split.js';

describe('shipped ml-latest-small', () => {
  it('is found by name and matches the counts in its README', async () => {
    const data = await loadInteractions('ml-latest-small');
    // README.txt: "100836 ratings ... across 9742 movies ... by 610 users" (9724 movies have ratings)
    expect(data.length).toBe(100836);
    expect(data.numUsers).toBe(610);
    expect(data.numItems).toBe(9724);
    expect(data.report!.rowsSkipped).toBe(0);
    expect(data.timestamps).not.toBeNull();
    const r = data.ratings!;
    let sum = 0;
    for (let k = 0; k < r.length; k++) sum += r[k];
    expect(sum / r.length).toBeCloseTo(3.5016, 3);
    const split = randomSplit(data, { seed: 1 });
    expect(split.train.length + split.test.length + split.coldStart.numRows).toBe(100836);
  });

  it('loadMovieLens adds titles and genres by item index', async () => {
    const ml = await loadMovieLens('ml-latest-small');
    const toy = ml.interactions.itemIdMap.toIndex(1);
    expect(ml.items!.titles[toy]).toBe('Toy Story (1995)');
    expect(ml.items!.genres[toy]).toEqual(['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy']);
    expect(ml.items!.titles.every((t) => typeof t === 'string')).toBe(true);
  });

  it('honours QUIVER_DATASETS', async () => {
    const before = process.env.QUIVER_DATASETS;
    process.env.QUIVER_DATASETS = '/nonexistent/quiver-datasets';
    try {
      expect(resolveDatasetsDir()).toBe('/nonexistent/quiver-datasets');
      await expect(loadInteractions('ml-1m')).rejects.toThrow(/loadMovieLens: ml-1m must be downloaded first: \/nonexistent\/quiver-datasets\/ml-1m\/ratings.dat does not exist; run `npm run dataset -w @quiver\/data -- ml-1m`/);
    } finally {
      if (before === undefined) delete process.env.QUIVER_DATASETS;
      else process.env.QUIVER_DATASETS = before;
    }
  });
});
