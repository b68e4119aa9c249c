import { describeValue, quiverError } from '@quiver/base';

/** A raw id as it appears in the source data: a string, a number or a bigint. */
export type RawId = string | number | bigint;

/** The JSON form of an {@link IdMap} (see {@link IdMap.toJSON}). */
export interface IdMapJSON {
  /** Always `'quiver.id-map'`. */
  readonly format: 'quiver.id-map';
  /** Always 1. */
  readonly version: 1;
  /** What the map is for, e.g. `'user'` or `'item'`; used in error messages. */
  readonly name: string;
  /**
   * `'identity'`: index i is raw id i, for `size` ids, and `ids` is empty. Otherwise the kind of
   * the raw ids: `'number'`, `'string'`, `'bigint'` (written as decimal strings) or `'mixed'`
   * (numbers and strings as themselves, bigints as `{ "bigint": "123" }`).
   */
  readonly type: 'identity' | 'number' | 'string' | 'bigint' | 'mixed';
  /** Number of ids. */
  readonly size: number;
  /** The raw ids in index order. */
  readonly ids: ReadonlyArray<number | string | {
    /** A bigint id written as its decimal string (used when `type` is `'mixed'`). */
    bigint: string;
  }>;
}

/** Integer keys below this limit are looked up in a flat Int32Array instead of a Map. */
const SMALL_LIMIT = 1 << 25;

/**
 * A vocabulary: raw ids (strings, numbers, bigints) <-> dense indices 0..size-1.
 *
 * Indices are handed out in first-seen order. Lookups of numbers and strings are exact:
 * the number `7` and the string `"7"` are different ids (an unknown-id error says so when it
 * matters). Small non-negative integer ids use a flat lookup table, so mapping a 20-million-row
 * column costs one array read per row. The map is saved with a model through
 * {@link IdMap.toJSON} / {@link IdMap.fromJSON}.
 *
 * @example
 * const users = IdMap.fromRawIds(['alice', 'bob'], 'user');
 * users.toIndex('bob'); // 1
 * users.toRaw(0);       // 'alice'
 * users.get('carol');   // -1
 */
export class IdMap {
  /** What the map is for (`'user'`, `'item'`, ...); used in error messages. */
  readonly name: string;
  private raws: RawId[] | null;
  private identitySize: number;
  private small: Int32Array;
  private readonly map = new Map<RawId, number>();
  private numNumbers = 0;
  private numStrings = 0;
  private numBigints = 0;

  /** An empty map; prefer {@link IdMap.fromRawIds}, {@link IdMap.identity} or {@link IdMap.fromJSON}. */
  constructor(name = 'id') {
    this.name = name;
    this.raws = [];
    this.identitySize = 0;
    this.small = new Int32Array(0);
  }

  /**
   * A map where index i is the raw number i, for `size` ids (data that is already dense).
   * @throws {RangeError} when size is not a non-negative integer.
   */
  static identity(size: number, name = 'id'): IdMap {
    if (!Number.isInteger(size) || size < 0 || size > 0x7fffffff) {
      throw quiverError('RangeError', { where: 'IdMap.identity', what: 'size must be a non-negative integer', got: describeValue(size) });
    }
    const m = new IdMap(name);
    m.raws = null;
    m.identitySize = size;
    m.numNumbers = size;
    return m;
  }

  /**
   * Builds a map from raw ids in first-seen order (repeats are ignored).
   * @throws {TypeError} when an id is not a string, a finite number or a bigint.
   */
  static fromRawIds(ids: Iterable<RawId>, name = 'id'): IdMap {
    const m = new IdMap(name);
    for (const id of ids) m.getOrAdd(id);
    return m;
  }

  /**
   * Restores a map saved with {@link IdMap.toJSON} (accepts the object or its JSON text).
   * @throws {TypeError} when the value is not a saved id map.
   * @throws {RangeError} when the saved ids repeat an id.
   */
  static fromJSON(json: IdMapJSON | string): IdMap {
    const obj = (typeof json === 'string' ? JSON.parse(json) : json) as IdMapJSON;
    if (!obj || typeof obj !== 'object' || obj.format !== 'quiver.id-map' || !Array.isArray(obj.ids)) {
      throw quiverError('TypeError', { where: 'IdMap.fromJSON', what: 'json must be an object from IdMap.toJSON() (format "quiver.id-map")', got: describeValue(obj) });
    }
    if (obj.type === 'identity') return IdMap.identity(obj.size, obj.name);
    const m = new IdMap(obj.name);
    for (let k = 0; k < obj.ids.length; k++) {
      const id = obj.ids[k];
      let raw: RawId;
      if (obj.type === 'bigint') raw = BigInt(id as string);
      else if (typeof id === 'object' && id !== null && 'bigint' in id) raw = BigInt(id.bigint);
      else raw = id as RawId;
      if (m.has(raw)) throw quiverError('RangeError', { where: 'IdMap.fromJSON', what: 'ids must be distinct', got: `${describeValue(raw)} again at position ${k}` });
      m.add(raw);
    }
    if (m.size !== obj.size) {
      throw quiverError('TypeError', { where: 'IdMap.fromJSON', what: `size must match the number of distinct ids (${m.size})`, got: String(obj.size) });
    }
    return m;
  }

  /** Number of ids (the dense indices are 0..size-1). */
  get size(): number {
    return this.raws === null ? this.identitySize : this.raws.length;
  }

  /** True when index i is the raw number i (built by {@link IdMap.identity}). */
  get isIdentity(): boolean {
    return this.raws === null;
  }

  /**
   * The index of `raw`, or -1 when it is unknown (never throws).
   */
  get(raw: RawId): number {
    if (typeof raw === 'number') {
      if (this.raws === null) return Number.isInteger(raw) && raw >= 0 && raw < this.identitySize ? raw : -1;
      if (raw >= 0 && raw < this.small.length && (raw | 0) === raw) return this.small[raw] - 1;
    } else if (this.raws === null) return -1;
    const v = this.map.get(raw);
    return v === undefined ? -1 : v;
  }

  /** True when `raw` is in the map. */
  has(raw: RawId): boolean {
    return this.get(raw) >= 0;
  }

  /**
   * The index of `raw`.
   * @throws {RangeError} when the id is unknown (the message names the map and the id, and
   *   notes a number/string mix-up such as `"7"` vs `7`).
   */
  toIndex(raw: RawId): number {
    const i = this.get(raw);
    if (i < 0) throw this.unknownId('IdMap.toIndex', raw);
    return i;
  }

  /**
   * Maps many raw ids at once into `out` (a new Int32Array when omitted).
   * @param unknown - `'error'` (default) throws on the first unknown id; `-1` writes -1 for it.
   * @throws {RangeError} on an unknown id when `unknown` is `'error'`.
   */
  toIndices(raws: ArrayLike<RawId>, out?: Int32Array, unknown: 'error' | -1 = 'error'): Int32Array {
    const res = out ?? new Int32Array(raws.length);
    if (res.length < raws.length) {
      throw quiverError('RangeError', { where: 'IdMap.toIndices', what: `out must have length >= ${raws.length}`, got: String(res.length) });
    }
    for (let k = 0; k < raws.length; k++) {
      const i = this.get(raws[k]);
      if (i < 0 && unknown === 'error') throw this.unknownId('IdMap.toIndices', raws[k]);
      res[k] = i;
    }
    return res;
  }

  /**
   * The raw id at dense index `index`.
   * @throws {RangeError} when index is not in [0, size).
   */
  toRaw(index: number): RawId {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw quiverError('RangeError', { where: 'IdMap.toRaw', what: `index must be an integer in [0, ${this.size}) for ${this.name} ids`, got: describeValue(index) });
    }
    return this.raws === null ? index : this.raws[index];
  }

  /** A copy of all raw ids in index order. */
  rawIds(): RawId[] {
    if (this.raws === null) return Array.from({ length: this.identitySize }, (_, i) => i);
    return this.raws.slice();
  }

  /**
   * The index of `raw`, adding it when it is new. Mutates the map: use it while building a
   * dataset, not on a map shared by a trained model.
   * @throws {TypeError} when raw is not a string, a finite number or a bigint.
   */
  getOrAdd(raw: RawId): number {
    if (typeof raw === 'number' && raw >= 0 && (raw | 0) === raw && raw < this.small.length && this.raws !== null) {
      const v = this.small[raw];
      if (v !== 0) return v - 1;
    }
    const i = this.get(raw);
    return i >= 0 ? i : this.add(raw);
  }

  /** Adds a new id (the caller knows it is absent) and returns its index. */
  private add(raw: RawId): number {
    if (this.raws === null) {
      // An identity map grows only at its end; anything else turns it into an explicit map.
      if (raw === this.identitySize) {
        this.numNumbers++;
        return this.identitySize++;
      }
      this.raws = this.rawIds();
      for (let i = 0; i < this.raws.length; i++) this.index(this.raws[i], i);
    }
    if (typeof raw === 'number') {
      if (!Number.isFinite(raw)) throw quiverError('TypeError', { where: 'IdMap', what: `${this.name} id must be a string, a finite number or a bigint`, got: String(raw) });
      this.numNumbers++;
    } else if (typeof raw === 'string') this.numStrings++;
    else if (typeof raw === 'bigint') this.numBigints++;
    else throw quiverError('TypeError', { where: 'IdMap', what: `${this.name} id must be a string, a finite number or a bigint`, got: describeValue(raw) });
    const i = this.raws.length;
    this.raws.push(raw);
    this.index(raw, i);
    return i;
  }

  private index(raw: RawId, i: number): void {
    if (typeof raw === 'number' && raw >= 0 && (raw | 0) === raw && raw < SMALL_LIMIT) {
      if (raw >= this.small.length) {
        let cap = Math.max(1024, this.small.length * 2);
        while (cap <= raw) cap *= 2;
        const grown = new Int32Array(Math.min(cap, SMALL_LIMIT));
        grown.set(this.small);
        this.small = grown;
      }
      this.small[raw] = i + 1;
    } else {
      this.map.set(raw, i);
    }
  }

  private unknownId(where: string, raw: RawId): Error {
    let hint = '';
    if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) && this.has(Number(raw))) {
      hint = `; the map holds the number ${Number(raw)}: pass a number, not a string`;
    } else if (typeof raw === 'number' && this.has(String(raw))) {
      hint = `; the map holds the string "${raw}": pass a string, not a number`;
    } else if (typeof raw === 'bigint' && this.has(Number(raw))) {
      hint = `; the map holds the number ${raw}: pass a number, not a bigint`;
    }
    return quiverError('RangeError', { where, what: `${this.name} id must be one of the ${this.size} known ${this.name} ids`, got: `unknown id ${describeValue(raw)}`, tail: hint });
  }

  /** The JSON form (see {@link IdMapJSON}); `JSON.stringify(map)` calls this. */
  toJSON(): IdMapJSON {
    if (this.raws === null) {
      return { format: 'quiver.id-map', version: 1, name: this.name, type: 'identity', size: this.identitySize, ids: [] };
    }
    const kinds = (this.numNumbers > 0 ? 1 : 0) + (this.numStrings > 0 ? 1 : 0) + (this.numBigints > 0 ? 1 : 0);
    let type: IdMapJSON['type'];
    let ids: IdMapJSON['ids'];
    if (kinds > 1) {
      type = 'mixed';
      ids = this.raws.map((r) => (typeof r === 'bigint' ? { bigint: r.toString() } : r));
    } else if (this.numBigints > 0) {
      type = 'bigint';
      ids = this.raws.map((r) => r.toString());
    } else {
      type = this.numStrings > 0 ? 'string' : 'number';
      ids = this.raws as (number | string)[];
    }
    return { format: 'quiver.id-map', version: 1, name: this.name, type, size: this.raws.length, ids };
  }

  /** Short summary for the REPL. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    if (this.raws === null) return `IdMap(${this.name}) { ${this.identitySize} ids, identity }`;
    const head = this.raws.slice(0, 3).map((r) => describeValue(r)).join(', ');
    return `IdMap(${this.name}) { ${this.raws.length} ids: ${head}${this.raws.length > 3 ? ', ...' : ''} }`;
  }
}
