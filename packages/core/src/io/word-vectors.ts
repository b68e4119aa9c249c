import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { checkOneOf, checkOptionNames, checkPositiveInt, describeValue as describe, quiverError } from '@quiver/base';
import { Tensor } from '../tensor.js';

/** The layouts {@link readWordVectors} understands. */
export type WordVectorsFormat = 'auto' | 'word2vec' | 'glove' | 'word2vec-binary';

/** Options of {@link readWordVectors} and {@link parseWordVectors}. */
export interface ReadWordVectorsOptions {
  /**
   * The file layout. `'word2vec'`: a `count dim` header line, then `word v1 … vdim` per line.
   * `'glove'`: no header, `word v1 … vdim` per line, `dim` taken from the first line.
   * `'word2vec-binary'`: the header line, then per word its UTF-8 bytes, a space and `dim`
   * little-endian float32 values (the `binary=True` format of word2vec / gensim).
   * `'auto'`: text; a first line of exactly two integers is a word2vec header, else GloVe.
   * @defaultValue `'auto'`
   */
  format?: WordVectorsFormat;
  /** Read at most this many words (the first ones in the file), like gensim's `limit`. @defaultValue no limit */
  limit?: number;
  /**
   * What to do with a word that appears twice: `'error'` throws naming both lines,
   * `'keep-first'` ignores later copies (some published GloVe files repeat a few tokens).
   * @defaultValue `'error'`
   */
  duplicates?: 'error' | 'keep-first';
}

/** Words and their vectors, ready for `Embedding.fromPretrained(vectors)`. */
export interface WordVectors {
  /** The words in file order; row `i` of `vectors` belongs to `words[i]`. */
  readonly words: string[];
  /** Row-major, `words.length × dim`. */
  readonly vectors: Tensor;
  /** word → row index. */
  readonly vocabulary: Map<string, number>;
}

const FORMATS: readonly WordVectorsFormat[] = ['auto', 'word2vec', 'glove', 'word2vec-binary'];
const OPTION_NAMES = ['format', 'limit', 'duplicates'];
const HEADER = /^\s*(\d+)\s+(\d+)\s*$/;

interface Resolved {
  format: WordVectorsFormat;
  limit: number;
  keepFirst: boolean;
}

function resolveOptions(where: string, options: ReadWordVectorsOptions): Resolved {
  checkOptionNames(where, options, OPTION_NAMES);
  const format = checkOneOf(where, 'format', options.format ?? 'auto', FORMATS);
  const limit = options.limit === undefined ? Infinity : checkPositiveInt(where, 'limit', options.limit);
  const duplicates = checkOneOf(where, 'duplicates', options.duplicates ?? 'error', ['error', 'keep-first'] as const);
  return { format, limit, keepFirst: duplicates === 'keep-first' };
}

/**
 * Collects lines of a text vector file into a growing Float32Array (doubling, so the file
 * is never held as one string and no per-word array of numbers is kept).
 */
class TextVectorBuilder {
  private dim = -1;
  private declared = -1;
  private data = new Float32Array(0);
  private readonly words: string[] = [];
  private readonly vocabulary = new Map<string, number>();
  private readonly firstLine = new Map<string, number>();
  private lineNo = 0;
  /** True once `limit` words were read: later lines are ignored. */
  done = false;

  constructor(
    private readonly where: string,
    private readonly file: string,
    private readonly opts: Resolved,
  ) {}

  private fail(message: string, Kind: typeof Error = Error): never {
    throw new Kind(`${this.where}: ${this.file}:${this.lineNo}: ${message}`);
  }

  line(raw: string): void {
    this.lineNo++;
    if (this.done) return;
    const text = this.lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (this.lineNo === 1 && this.opts.format !== 'glove') {
      const header = HEADER.exec(text);
      if (header !== null) {
        this.declared = Number(header[1]);
        this.dim = Number(header[2]);
        if (this.dim < 1) this.fail(`the word2vec header's dimension must be a positive integer, got ${this.dim}`, RangeError);
        // Nothing is allocated from the header's claims: rows grow as lines with `dim` values arrive.
        return;
      }
      if (this.opts.format === 'word2vec') {
        this.fail(`a word2vec file must start with a "<count> <dim>" header line, got ${describe(clip(text))}; pass format: 'glove' for files without one`);
      }
    }
    const tokens = text.split(/[ \t]+/);
    if (tokens.length > 0 && tokens[tokens.length - 1] === '') tokens.pop();
    if (tokens.length > 0 && tokens[0] === '') tokens.shift();
    if (tokens.length === 0) return; // blank line
    if (this.dim < 0) {
      if (tokens.length < 2) this.fail(`expected a word followed by its vector, got ${describe(clip(text))}`);
      this.dim = tokens.length - 1;
      this.grow(Math.min(this.opts.limit, 1024));
    }
    const dim = this.dim;
    if (tokens.length < dim + 1) {
      const what = this.declared >= 0 ? 'the word2vec header' : 'line 1';
      this.fail(
        `expected a word and ${dim} values (the dimension of ${what}), got ${tokens.length - 1} value${tokens.length === 2 ? '' : 's'} after ${describe(clip(tokens[0]))}`,
        RangeError,
      );
    }
    // Words may contain spaces (GloVe 840B has a few): the last `dim` tokens are the vector.
    const wordEnd = tokens.length - dim;
    const word = wordEnd === 1 ? tokens[0] : tokens.slice(0, wordEnd).join(' ');
    const first = this.firstLine.get(word);
    if (first !== undefined) {
      if (this.opts.keepFirst) return;
      this.fail(`word ${describe(clip(word))} is repeated (first on line ${first}); pass duplicates: 'keep-first' to keep the first copy`);
    }
    const row = this.words.length;
    if (this.declared >= 0 && row >= this.declared) {
      this.fail(`the word2vec header declares ${this.declared} words, but there are more lines`, RangeError);
    }
    if ((row + 1) * dim > this.data.length) this.grow(Math.max(1, row * 2));
    const data = this.data;
    const base = row * dim;
    for (let j = 0; j < dim; j++) {
      const tok = tokens[wordEnd + j];
      const v = Number(tok);
      if (!Number.isFinite(v) || tok.length === 0) {
        this.fail(`value ${j + 1} of ${describe(clip(word))} must be a finite number, got ${describe(clip(tok))}`);
      }
      data[base + j] = v;
    }
    this.words.push(word);
    this.vocabulary.set(word, row);
    this.firstLine.set(word, this.lineNo);
    if (this.words.length >= this.opts.limit) this.done = true;
  }

  private grow(rows: number): void {
    const next = new Float32Array(Math.max(rows, 1) * this.dim);
    next.set(this.data.subarray(0, Math.min(this.data.length, next.length)));
    this.data = next;
  }

  finish(): WordVectors {
    if (this.lineNo === 0 || (this.words.length === 0 && this.dim < 0)) {
      throw quiverError('Error', { where: this.where, what: `${this.file} is empty; expected word2vec or GloVe text vectors` });
    }
    if (this.words.length === 0) {
      throw quiverError('Error', { where: this.where, what: `${this.file} has a header but no vectors` });
    }
    if (this.declared >= 0 && !this.done && this.words.length !== this.declared) {
      throw quiverError('RangeError', { where: this.where, what: `${this.file}: the word2vec header declares ${this.declared} words`, got: `${this.words.length}`, tail: `; the file may be truncated` });
    }
    const n = this.words.length;
    const data = this.data.length === n * this.dim ? this.data : this.data.slice(0, n * this.dim);
    return { words: this.words, vectors: new Tensor(data, [n, this.dim]), vocabulary: this.vocabulary };
  }
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/**
 * Decodes the binary word2vec format (gensim `save_word2vec_format(binary=True)`): a text
 * header `count dim\n`, then per word its UTF-8 bytes, one space, `dim` little-endian float32
 * values and (in most writers) a newline.
 */
function decodeBinary(where: string, file: string, bytes: Uint8Array, opts: Resolved): WordVectors {
  let pos = bytes.indexOf(0x0a);
  if (pos < 0) throw quiverError('Error', { where, what: `${file}: a binary word2vec file must start with a "<count> <dim>" header line; none found` });
  const headerText = new TextDecoder().decode(bytes.subarray(0, pos));
  const header = HEADER.exec(headerText);
  if (header === null) {
    throw quiverError('Error', { where, what: `${file}:1: a binary word2vec file must start with a "<count> <dim>" header line`, got: describe(clip(headerText)) });
  }
  const declared = Number(header[1]);
  const dim = Number(header[2]);
  if (dim < 1) throw quiverError('RangeError', { where, what: `${file}:1: the word2vec header's dimension must be a positive integer`, got: String(dim) });
  pos++;
  const n = Math.min(declared, opts.limit);
  // Each word takes at least a space and 4 · dim bytes: allocate no more rows than the bytes can hold
  // (a header claiming 10^12 words allocates nothing extra; the loop below then reports the truncation).
  const data = new Float32Array(Math.min(n, Math.floor((bytes.length - pos) / (4 * dim + 1))) * dim);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const words: string[] = [];
  const vocabulary = new Map<string, number>();
  for (let w = 0; w < declared && words.length < n; w++) {
    while (pos < bytes.length && (bytes[pos] === 0x0a || bytes[pos] === 0x20)) pos++;
    const space = bytes.indexOf(0x20, pos);
    if (space < 0 || pos >= bytes.length) {
      throw quiverError('RangeError', { where, what: `${file}: the word2vec header declares ${declared} words`, got: String(w), tail: '; the file may be truncated' });
    }
    const word = decoder.decode(bytes.subarray(pos, space));
    pos = space + 1;
    if (pos + 4 * dim > bytes.length) {
      throw quiverError('RangeError', { where, what: `${file}: word ${w + 1} (${describe(clip(word))}) needs ${4 * dim} bytes of vector, only ${bytes.length - pos} remain; the file is truncated or its dimension is not ${dim}` });
    }
    const keep = !vocabulary.has(word);
    if (!keep && !opts.keepFirst) {
      throw quiverError('Error', { where, what: `${file}: word ${describe(clip(word))} is repeated (words ${vocabulary.get(word)! + 1} and ${w + 1}); pass duplicates: 'keep-first' to keep the first copy` });
    }
    if (keep) {
      const base = words.length * dim;
      for (let j = 0; j < dim; j++) data[base + j] = view.getFloat32(pos + 4 * j, true);
      vocabulary.set(word, words.length);
      words.push(word);
    }
    pos += 4 * dim;
  }
  const rows = words.length;
  return { words, vectors: new Tensor(rows * dim === data.length ? data : data.slice(0, rows * dim), [rows, dim]), vocabulary };
}

/**
 * Reads word vectors from a word2vec (text or binary) or GloVe file into one row-major
 * tensor plus the word list, ready for `Embedding.fromPretrained`.
 *
 * Text files are streamed line by line (never held as one string); the vectors grow in one
 * Float32Array. Binary files are read whole. Blank lines are skipped; a UTF-8 BOM is dropped;
 * a word may contain spaces (the last `dim` fields are the vector).
 *
 * @param path The file.
 * @returns `{ words, vectors, vocabulary }`, vectors of shape `[words.length, dim]`.
 * @throws {Error} naming the file and line: an empty file, a line that is not a word and
 *   numbers, a non-finite value, a repeated word (unless `duplicates: 'keep-first'`), a
 *   missing header with `format: 'word2vec'`.
 * @throws {RangeError} naming the file and line: a line whose number of values differs from
 *   the dimension (of the header, else of line 1), more or fewer words than the header declares.
 * @throws {TypeError} / {RangeError} for bad options. `fs` errors (ENOENT, ...) are passed through.
 * @example
 * const { words, vectors, vocabulary } = await readWordVectors('glove.6B.50d.txt', { limit: 50_000 });
 * const emb = Embedding.fromPretrained(vectors); // frozen by default
 * emb.forward([vocabulary.get('king')!]);
 */
export async function readWordVectors(path: string, options: ReadWordVectorsOptions = {}): Promise<WordVectors> {
  const where = 'readWordVectors';
  if (typeof path !== 'string' || path.length === 0) {
    throw quiverError('TypeError', { where, what: 'path must be a non-empty string', got: describe(path) });
  }
  const opts = resolveOptions(where, options);
  const file = basename(path);
  if (opts.format === 'word2vec-binary') return decodeBinary(where, file, await readFile(path), opts);
  const builder = new TextVectorBuilder(where, file, opts);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of stream) {
      const text = rest + decoder.write(chunk as Buffer);
      let start = 0;
      let nl = text.indexOf('\n', start);
      while (nl >= 0) {
        builder.line(endTrim(text, start, nl));
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      rest = text.slice(start);
      if (builder.done) break;
    }
    const last = rest + decoder.end();
    if (last.length > 0) builder.line(endTrim(last, 0, last.length));
  } finally {
    stream.destroy();
  }
  return builder.finish();
}

function endTrim(text: string, start: number, end: number): string {
  return end > start && text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
}

/**
 * {@link readWordVectors} on contents already in memory: text (or UTF-8 bytes) of a word2vec
 * or GloVe text file, or the bytes of a binary word2vec file with `format: 'word2vec-binary'`.
 *
 * @param input The file contents.
 * @param options As {@link readWordVectors}, plus `name`: the file name used in messages
 *   (default `"<input>"`).
 * @returns `{ words, vectors, vocabulary }`.
 * @throws As {@link readWordVectors}.
 * @example
 * const { words, vectors } = parseWordVectors('2 3\ncat 1 2 3\ndog 4 5 6\n');
 * vectors.shape; // [2, 3]
 */
export function parseWordVectors(
  input: string | Uint8Array,
  options: ReadWordVectorsOptions & { name?: string } = {},
): WordVectors {
  const where = 'parseWordVectors';
  const { name = '<input>', ...rest } = options;
  if (typeof name !== 'string') throw quiverError('TypeError', { where, what: 'name must be a string', got: describe(name) });
  const opts = resolveOptions(where, rest);
  if (opts.format === 'word2vec-binary') {
    if (!(input instanceof Uint8Array)) {
      throw quiverError('TypeError', { where, what: `input must be a Uint8Array for format 'word2vec-binary'`, got: describe(input) });
    }
    return decodeBinary(where, name, input, opts);
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) text = new TextDecoder().decode(input);
  else throw quiverError('TypeError', { where, what: 'input must be a string or a Uint8Array', got: describe(input) });
  const builder = new TextVectorBuilder(where, name, opts);
  let start = 0;
  while (start < text.length && !builder.done) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    builder.line(endTrim(text, start, nl));
    start = nl + 1;
  }
  return builder.finish();
}
