import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Embedding } from '../embedding.js';
import { parseWordVectors, readWordVectors } from './word-vectors.js';

const dir = mkdtempSync(join(tmpdir(), 'quiver-word-vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, contents: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
}

/** A binary word2vec file built byte by byte from the format's definition. */
function binaryFile(words: string[], vectors: number[][], header = `${words.length} ${vectors[0].length}`): Uint8Array {
  const parts: Uint8Array[] = [new TextEncoder().encode(`${header}\n`)];
  words.forEach((w, i) => {
    parts.push(new TextEncoder().encode(`${w} `));
    const buf = new ArrayBuffer(4 * vectors[i].length);
    const view = new DataView(buf);
    vectors[i].forEach((v, j) => view.setFloat32(4 * j, v, true));
    parts.push(new Uint8Array(buf), Uint8Array.of(0x0a));
  });
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('parseWordVectors', () => {
  it('reads the word2vec text format with its header', () => {
    const { words, vectors, vocabulary } = parseWordVectors('3 2\ncat 0.5 -1\ndog 2 3.25\nfish 1e-3 4\n');
    expect(words).toEqual(['cat', 'dog', 'fish']);
    expect(vectors.shape).toEqual([3, 2]);
    expect([...vectors.data]).toEqual([0.5, -1, 2, 3.25, Math.fround(1e-3), 4]);
    expect(vocabulary.get('dog')).toBe(1);
    expect(vocabulary.size).toBe(3);
  });

  it('reads GloVe (no header) with CRLF, a BOM, trailing spaces, blank lines and a word containing a space', () => {
    const text = '\uFEFFthe 1 2 3 \r\n\r\nof 4 5 6\r\nat name@x.com -1 -2 -3\r\n\r\n';
    const { words, vectors } = parseWordVectors(text);
    expect(words).toEqual(['the', 'of', 'at name@x.com']);
    expect(vectors.shape).toEqual([3, 3]);
    expect([...vectors.row(2)]).toEqual([-1, -2, -3]);
  });

  it("treats a first line of two integers as a header only when format is not 'glove'", () => {
    expect(parseWordVectors('7 1\n8 2\n', { format: 'glove' }).words).toEqual(['7', '8']);
    expect(() => parseWordVectors('7 1\n8 2\n')).toThrow(/declares 7 words, got 1/);
  });

  it('stops after limit words', () => {
    const { words, vectors } = parseWordVectors('3 2\na 1 1\nb 2 2\nc 3 3\n', { limit: 2 });
    expect(words).toEqual(['a', 'b']);
    expect([...vectors.data]).toEqual([1, 1, 2, 2]);
  });

  it('keeps the first copy of a repeated word with duplicates: keep-first', () => {
    const { words, vectors } = parseWordVectors('a 1\nb 2\na 3\n', { duplicates: 'keep-first' });
    expect(words).toEqual(['a', 'b']);
    expect([...vectors.data]).toEqual([1, 2]);
  });

  it('decodes the binary word2vec format', () => {
    const bytes = binaryFile(['king', 'queen', 'émigré'], [[0.25, -1.5], [3, 4], [1e-7, -0]]);
    const { words, vectors, vocabulary } = parseWordVectors(bytes, { format: 'word2vec-binary' });
    expect(words).toEqual(['king', 'queen', 'émigré']);
    expect([...vectors.data]).toEqual([0.25, -1.5, 3, 4, Math.fround(1e-7), -0]);
    expect(vocabulary.get('émigré')).toBe(2);
  });

  it('names the line and both dimensions on a dimension mismatch', () => {
    expect(() => parseWordVectors('2 3\ncat 1 2 3\ndog 1 2\n', { name: 'v.txt' })).toThrow(
      /^parseWordVectors: v.txt:3: expected a word and 3 values \(the dimension of the word2vec header\), got 2 values after "dog"$/,
    );
    expect(() => parseWordVectors('cat 1 2 3\ndog 1 2\n', { name: 'g.txt' })).toThrow(/g.txt:2: expected a word and 3 values \(the dimension of line 1\), got 2 values/);
    expect(() => parseWordVectors('cat 1 2 3\ndog 1 2\n')).toThrow(RangeError);
  });

  it('names the line, the word and the value that is not a number', () => {
    expect(() => parseWordVectors('cat 1 2\ndog 1 abc\n', { name: 'g.txt' })).toThrow(
      /^parseWordVectors: g.txt:2: value 2 of "dog" must be a finite number, got "abc"$/,
    );
    expect(() => parseWordVectors('cat 1 NaN\n')).toThrow(/:1: value 2 of "cat" must be a finite number, got "NaN"/);
  });

  it('checks the word count against the header', () => {
    expect(() => parseWordVectors('3 1\na 1\nb 2\n', { name: 'w.txt' })).toThrow(
      /^parseWordVectors: w.txt: the word2vec header declares 3 words, got 2; the file may be truncated$/,
    );
    expect(() => parseWordVectors('1 1\na 1\nb 2\n', { name: 'w.txt' })).toThrow(/w.txt:3: the word2vec header declares 1 words, but there are more lines/);
    expect(() => parseWordVectors('2 0\n')).toThrow(/dimension must be a positive integer, got 0/);
  });

  it("requires the header with format: 'word2vec'", () => {
    expect(() => parseWordVectors('cat 1 2\n', { format: 'word2vec', name: 'x.txt' })).toThrow(
      /x.txt:1: a word2vec file must start with a "<count> <dim>" header line, got "cat 1 2"; pass format: 'glove'/,
    );
  });

  it('rejects repeated words, empty input, header-only input and lone words', () => {
    expect(() => parseWordVectors('a 1\nb 2\na 3\n', { name: 'd.txt' })).toThrow(/d.txt:3: word "a" is repeated \(first on line 1\); pass duplicates: 'keep-first'/);
    expect(() => parseWordVectors('', { name: 'e.txt' })).toThrow(/^parseWordVectors: e.txt is empty; expected word2vec or GloVe text vectors$/);
    expect(() => parseWordVectors('\n \n', { name: 'e.txt' })).toThrow(/e.txt is empty/);
    expect(() => parseWordVectors('2 5\n', { name: 'h.txt' })).toThrow(/h.txt has a header but no vectors/);
    expect(() => parseWordVectors('lonely\n')).toThrow(/:1: expected a word followed by its vector, got "lonely"/);
  });

  it('rejects bad options and inputs', () => {
    expect(() => parseWordVectors('a 1', { format: 'fasttext' as never })).toThrow(/format must be one of 'auto', 'word2vec', 'glove', 'word2vec-binary', got "fasttext"/);
    expect(() => parseWordVectors('a 1', { limit: 0 })).toThrow(/limit must be a positive integer, got 0/);
    expect(() => parseWordVectors('a 1', { duplicates: 'last' as never })).toThrow(/duplicates must be one of 'error', 'keep-first', got "last"/);
    expect(() => parseWordVectors('a 1', { lmit: 3 } as never)).toThrow(/unknown option "lmit"/);
    expect(() => parseWordVectors(42 as never)).toThrow(/input must be a string or a Uint8Array, got 42/);
    expect(() => parseWordVectors('2 1\n', { format: 'word2vec-binary' })).toThrow(TypeError);
  });

  it('names truncation and a bad header in binary files', () => {
    const bytes = binaryFile(['a', 'b'], [[1, 2], [3, 4]]);
    // 9 bytes per word (8 of vector + newline), minus 3: 6 remain for "b".
    expect(() => parseWordVectors(bytes.subarray(0, bytes.length - 3), { format: 'word2vec-binary', name: 'b.bin' })).toThrow(
      /b.bin: word 2 \("b"\) needs 8 bytes of vector, only 6 remain; the file is truncated or its dimension is not 2/,
    );
    expect(() => parseWordVectors(binaryFile(['a'], [[1, 2]], '3 2'), { format: 'word2vec-binary', name: 'b.bin' })).toThrow(
      /b.bin: the word2vec header declares 3 words, got 1/,
    );
    expect(() => parseWordVectors(new TextEncoder().encode('x y\n'), { format: 'word2vec-binary', name: 'b.bin' })).toThrow(
      /b.bin:1: a binary word2vec file must start with a "<count> <dim>" header line, got "x y"/,
    );
    expect(() => parseWordVectors(binaryFile(['a', 'a'], [[1], [2]]), { format: 'word2vec-binary' })).toThrow(/word "a" is repeated \(words 1 and 2\)/);
  });
});

describe('readWordVectors', () => {
  it('streams a file larger than one read chunk and matches the values written', () => {
    // 4,000 words × 40 dims ≈ 1.9 MB: lines cross the 1 MiB chunk boundary.
    const n = 4000;
    const dim = 40;
    const value = (i: number, j: number) => ((i * 37 + j * 11) % 1000) / 250 - 2;
    const lines = [`${n} ${dim}`];
    for (let i = 0; i < n; i++) {
      const row: string[] = [`w${i}`];
      for (let j = 0; j < dim; j++) row.push(value(i, j).toFixed(6));
      lines.push(row.join(' '));
    }
    const path = write('big.txt', `${lines.join('\n')}\n`);
    return readWordVectors(path).then(({ words, vectors, vocabulary }) => {
      expect(vectors.shape).toEqual([n, dim]);
      expect(words[3999]).toBe('w3999');
      expect(vocabulary.get('w2500')).toBe(2500);
      for (const i of [0, 1, 1777, 2500, 3999]) {
        for (let j = 0; j < dim; j++) expect(vectors.get(i, j)).toBeCloseTo(value(i, j), 6);
      }
    });
  });

  it('reads GloVe and binary files and feeds Embedding.fromPretrained (frozen)', async () => {
    const glove = await readWordVectors(write('g.txt', 'a 1 2\nb 3 4\nc 5 6'), { limit: 2 });
    const emb = Embedding.fromPretrained(glove.vectors);
    expect(emb.weight.requiresGrad).toBe(false);
    expect([...emb.forward([glove.vocabulary.get('b')!]).data]).toEqual([3, 4]);
    const bin = await readWordVectors(write('v.bin', binaryFile(['x', 'y'], [[0.5], [-2]])), { format: 'word2vec-binary' });
    expect(bin.words).toEqual(['x', 'y']);
    expect([...bin.vectors.data]).toEqual([0.5, -2]);
  });

  it('names the file and line of a malformed line', async () => {
    const path = write('bad.txt', '2 3\ncat 1 2 3\ndog 1 2 3 4 x\n');
    // "dog 1 2 3 4 x": the last 3 fields are the vector, so the word is "dog 1 2" and "x" is not a number.
    await expect(readWordVectors(path)).rejects.toThrow(/^readWordVectors: bad.txt:3: value 3 of "dog 1 2" must be a finite number, got "x"$/);
    await expect(readWordVectors(write('short.txt', '2 3\ncat 1 2 3\ndog 1\n'))).rejects.toThrow(/short.txt:3: expected a word and 3 values/);
    await expect(readWordVectors(write('empty.txt', ''))).rejects.toThrow(/empty.txt is empty/);
    await expect(readWordVectors(join(dir, 'missing.txt'))).rejects.toThrow(/ENOENT/);
    await expect(readWordVectors('' as never)).rejects.toThrow(/path must be a non-empty string, got ""/);
  });
});
