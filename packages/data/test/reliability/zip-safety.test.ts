import { existsSync, readdirSync, readFileSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractZip } from '../../src/datasets/unzip.js';
import { makeTmpDir } from '../tmp-dir.js';
import { writeZip } from '../zip-writer.js';

const tmp = makeTmpDir('zipsafe');
afterAll(() => tmp.cleanup());

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) out.push(...walk(p));
  }
  return out;
}

describe('extractZip never writes outside the target folder', () => {
  it('for random entry names built from "..", ".", "/", "\\\\", drive letters and plain names', async () => {
    const segment = fc.constantFrom('..', '.', 'a', 'b', '', 'C:', 'c:', '\\', '/', '..\\..', '\\\\server', 'x\0y');
    const name = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
    let n = 0;
    await fc.assert(fc.asyncProperty(fc.array(name, { minLength: 1, maxLength: 3 }), async (names) => {
      const root = join(tmp.dir, `case-${n++}`);
      const target = join(root, 'out', 'target');
      mkdirSync(join(root, 'out'), { recursive: true });
      const zip = join(root, 'a.zip');
      writeFileSync(zip, writeZip(names.filter((x) => !x.endsWith('/')).map((x) => ({ name: `top/${x}`, data: 'x' }))));
      let ok = true;
      try {
        await extractZip(zip, target);
      } catch (err) {
        ok = false;
        expect((err as Error).message).toMatch(/^(extractZip|listZip): /);
      }
      // Nothing was written anywhere but the zip itself and (on success) the target folder.
      for (const p of walk(root)) {
        const rel = relative(resolve(target), resolve(p));
        const inside = rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
        expect(inside || p === zip || p === join(root, 'out')).toBe(true);
      }
      if (!ok) expect(existsSync(target)).toBe(false);
    }), { numRuns: 150, seed: 21 });
  });
});

describe('a failure mid-extraction leaves no partial dataset and keeps the previous one', () => {
  it('a corrupt entry after many good ones', async () => {
    const target = join(tmp.dir, 'ds');
    const good = join(tmp.dir, 'good.zip');
    writeFileSync(good, writeZip([{ name: 'ml/ratings.csv', data: 'user,item,rating\n1,2,3\n' }, { name: 'ml/README', data: 'v1' }]));
    await extractZip(good, target);
    const before = walk(target).map((p) => [relative(target, p), statSync(p).isFile() ? readFileSync(p, 'utf8') : 'dir']);
    const files = Array.from({ length: 40 }, (_, k) => ({ name: `ml/part-${k}.csv`, data: `${k}\n`.repeat(1000) }));
    files.push({ name: 'ml/last.csv', data: 'broken', badCrc: true } as (typeof files)[number]);
    const bad = join(tmp.dir, 'bad.zip');
    writeFileSync(bad, writeZip(files));
    await expect(extractZip(bad, target)).rejects.toThrow(/extractZip: entry "ml\/last.csv" of .* is corrupt \(CRC-32 mismatch\)/);
    // The earlier dataset is untouched, and no half-unpacked folder is left next to it.
    expect(walk(target).map((p) => [relative(target, p), statSync(p).isFile() ? readFileSync(p, 'utf8') : 'dir'])).toEqual(before);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('ds.partial'))).toEqual([]);
  });
});
