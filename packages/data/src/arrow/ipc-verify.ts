/**
 * A bounds check of Arrow IPC metadata before apache-arrow decodes it. apache-arrow trusts the
 * FlatBuffers lengths it reads (a corrupted vector length makes it build arrays of billions of
 * entries and run out of memory), so every table, vector and string in the messages and the
 * file footer is checked to lie inside its buffer first, and every record batch may claim at
 * most as many rows as its body has bits. Errors are plain messages (the caller adds the
 * source name).
 */

const MAX_DEPTH = 64;
/** Type ids of the Arrow schema (`Type` in Schema.fbs) with extra vectors in their tables. */
const TYPE_TIMESTAMP = 10;
const TYPE_UNION = 14;
/** Message header kinds (`MessageHeader` in Message.fbs). */
const HEADER_SCHEMA = 1;
const HEADER_DICTIONARY_BATCH = 2;
const HEADER_RECORD_BATCH = 3;

class Fb {
  constructor(readonly b: Uint8Array, readonly view: DataView) {}

  need(pos: number, size: number, what: string): void {
    if (!(pos >= 0 && size >= 0 && pos + size <= this.b.length)) throw new Error(`${what} lies outside its ${this.b.length}-byte message`);
  }
  u16(pos: number): number {
    this.need(pos, 2, 'a field');
    return this.view.getUint16(pos, true);
  }
  i32(pos: number): number {
    this.need(pos, 4, 'a field');
    return this.view.getInt32(pos, true);
  }
  u32(pos: number): number {
    this.need(pos, 4, 'an offset');
    return this.view.getUint32(pos, true);
  }
  /** Absolute position of field `k` of the table at `t`, or -1 when absent. */
  field(t: number, k: number, size: number): number {
    const vt = t - this.i32(t);
    const vtSize = this.u16(vt);
    const tSize = this.u16(vt + 2);
    if (vtSize < 4 || vtSize % 2 !== 0) throw new Error('a table has a malformed vtable');
    this.need(vt, vtSize, 'a vtable');
    this.need(t, tSize, 'a table');
    if (4 + 2 * k >= vtSize) return -1;
    const off = this.u16(vt + 4 + 2 * k);
    if (off === 0) return -1;
    if (off + size > tSize) throw new Error('a table field lies outside its table');
    return t + off;
  }
  /** The table, vector or string an offset field points at, or -1. */
  ref(t: number, k: number): number {
    const p = this.field(t, k, 4);
    if (p < 0) return -1;
    const target = p + this.u32(p);
    this.need(target, 4, 'a referenced object');
    return target;
  }
  /** Checks a vector of `elemSize`-byte elements at `v` and returns its length. */
  vector(v: number, elemSize: number, what: string): number {
    const n = this.u32(v);
    this.need(v + 4, n * elemSize, `the ${what} vector (${n} entries)`);
    return n;
  }
  /** Table element `i` of the vector at `v`. */
  tableAt(v: number, i: number): number {
    const e = v + 4 + 4 * i;
    const t = e + this.u32(e);
    this.need(t, 4, 'a table');
    return t;
  }
  string(t: number, k: number, what: string): void {
    const s = this.ref(t, k);
    if (s >= 0) this.vector(s, 1, what);
  }
  i64(pos: number): number {
    this.need(pos, 8, 'a field');
    return Number(this.view.getBigInt64(pos, true));
  }
}

function fb(bytes: Uint8Array): Fb {
  return new Fb(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

function keyValues(f: Fb, t: number, k: number): void {
  const v = f.ref(t, k);
  if (v < 0) return;
  const n = f.vector(v, 4, 'custom_metadata');
  for (let i = 0; i < n; i++) {
    const kv = f.tableAt(v, i);
    f.string(kv, 0, 'metadata key');
    f.string(kv, 1, 'metadata value');
  }
}

function checkField(f: Fb, t: number, depth: number): void {
  if (depth > MAX_DEPTH) throw new Error(`fields are nested more than ${MAX_DEPTH} deep`);
  f.string(t, 0, 'field name');
  const typeTypePos = f.field(t, 2, 1);
  const typeType = typeTypePos < 0 ? 0 : f.b[typeTypePos];
  const type = f.ref(t, 3);
  if (type >= 0) {
    f.field(type, 0, 0); // vtable bounds
    if (typeType === TYPE_TIMESTAMP) f.string(type, 1, 'timezone');
    if (typeType === TYPE_UNION) {
      const ids = f.ref(type, 1);
      if (ids >= 0) f.vector(ids, 4, 'union typeIds');
    }
  }
  const dict = f.ref(t, 4);
  if (dict >= 0) {
    const indexType = f.ref(dict, 1);
    if (indexType >= 0) f.field(indexType, 0, 0);
  }
  const children = f.ref(t, 5);
  if (children >= 0) {
    const n = f.vector(children, 4, 'children');
    for (let i = 0; i < n; i++) checkField(f, f.tableAt(children, i), depth + 1);
  }
  keyValues(f, t, 6);
}

function checkSchema(f: Fb, s: number): void {
  const fields = f.ref(s, 1);
  if (fields >= 0) {
    const n = f.vector(fields, 4, 'fields');
    for (let i = 0; i < n; i++) checkField(f, f.tableAt(fields, i), 0);
  }
  keyValues(f, s, 2);
  const features = f.ref(s, 3);
  if (features >= 0) f.vector(features, 8, 'features');
}

function checkRecordBatch(f: Fb, r: number, bodyLength: number): void {
  const lengthPos = f.field(r, 0, 8);
  const rows = lengthPos < 0 ? 0 : f.i64(lengthPos);
  if (rows < 0 || rows > bodyLength * 8 + 64) {
    throw new Error(`a record batch claims ${rows} rows but its body holds only ${bodyLength} bytes`);
  }
  const nodes = f.ref(r, 1);
  if (nodes >= 0) {
    const n = f.vector(nodes, 16, 'field nodes');
    for (let i = 0; i < n; i++) {
      const len = f.i64(nodes + 4 + 16 * i);
      if (len < 0 || len > bodyLength * 8 + 64) throw new Error(`a field node claims ${len} values but the body holds only ${bodyLength} bytes`);
    }
  }
  const buffers = f.ref(r, 2);
  if (buffers >= 0) {
    const n = f.vector(buffers, 16, 'buffers');
    for (let i = 0; i < n; i++) {
      const off = f.i64(buffers + 4 + 16 * i);
      const len = f.i64(buffers + 12 + 16 * i);
      if (off < 0 || len < 0 || off + len > bodyLength) throw new Error(`buffer ${i} [${off}, ${off + len}) lies outside the ${bodyLength}-byte body`);
    }
  }
  const counts = f.ref(r, 4);
  if (counts >= 0) f.vector(counts, 8, 'variadic buffer counts');
}

/**
 * Checks one message's FlatBuffers metadata.
 * @returns The body length the message declares.
 */
function checkMessage(meta: Uint8Array, remaining: number): number {
  const f = fb(meta);
  const root = f.u32(0);
  f.need(root, 4, 'the message table');
  const headerTypePos = f.field(root, 1, 1);
  const headerType = headerTypePos < 0 ? 0 : meta[headerTypePos];
  const bodyPos = f.field(root, 3, 8);
  const bodyLength = bodyPos < 0 ? 0 : f.i64(bodyPos);
  if (bodyLength < 0 || bodyLength > remaining) throw new Error(`a message declares a ${bodyLength}-byte body but only ${remaining} bytes follow`);
  if (headerType !== HEADER_SCHEMA && headerType !== HEADER_RECORD_BATCH && headerType !== HEADER_DICTIONARY_BATCH) {
    throw new Error(`a message has header type ${headerType}; expected a schema (1), dictionary batch (2) or record batch (3)`);
  }
  const header = f.ref(root, 2);
  if (header < 0) throw new Error('a message has no header');
  {
    if (headerType === HEADER_SCHEMA) checkSchema(f, header);
    else if (headerType === HEADER_RECORD_BATCH) checkRecordBatch(f, header, bodyLength);
    else if (headerType === HEADER_DICTIONARY_BATCH) {
      const data = f.ref(header, 1);
      if (data >= 0) checkRecordBatch(f, data, bodyLength);
    }
  }
  keyValues(f, root, 4);
  return bodyLength;
}

/** Walks the encapsulated messages of a stream from `pos` to `end`. */
function checkMessages(bytes: Uint8Array, pos: number, end: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (pos + 4 <= end) {
    let len = view.getInt32(pos, true);
    pos += 4;
    if (len === -1) {
      if (pos + 4 > end) throw new Error('a message is cut off after its continuation marker');
      len = view.getInt32(pos, true);
      pos += 4;
    }
    if (len === 0) return; // end of stream
    if (len < 0 || pos + len > end) throw new Error(`a message declares ${len} bytes of metadata but only ${end - pos} remain`);
    const body = checkMessage(bytes.subarray(pos, pos + len), end - pos - len);
    pos += len + body;
  }
}

/**
 * Checks the metadata of an Arrow IPC file (`ARROW1` magic) or stream before decoding.
 * @throws {Error} with a plain description of the first inconsistency.
 */
export function verifyArrowIpc(bytes: Uint8Array, isFile: boolean): void {
  if (!isFile) {
    checkMessages(bytes, 0, bytes.length);
    return;
  }
  const n = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const footerLen = view.getInt32(n - 10, true);
  if (footerLen <= 0 || footerLen > n - 18) throw new Error(`the footer claims ${footerLen} bytes in a ${n}-byte file`);
  const footer = bytes.subarray(n - 10 - footerLen, n - 10);
  const f = fb(footer);
  const root = f.u32(0);
  f.need(root, 4, 'the footer table');
  const schema = f.ref(root, 1);
  if (schema >= 0) checkSchema(f, schema);
  for (const k of [2, 3]) {
    const blocks = f.ref(root, k);
    if (blocks < 0) continue;
    const count = f.vector(blocks, 24, k === 2 ? 'dictionary blocks' : 'record batch blocks');
    for (let i = 0; i < count; i++) {
      const at = blocks + 4 + 24 * i;
      const offset = f.i64(at);
      const metaLen = f.i32(at + 8);
      const bodyLen = f.i64(at + 16);
      if (offset < 8 || metaLen < 0 || bodyLen < 0 || offset + metaLen + bodyLen > n - 10 - footerLen) {
        throw new Error(`block ${i} [${offset}, ${offset + metaLen + bodyLen}) lies outside the ${n}-byte file`);
      }
    }
  }
  // The messages themselves (schema, dictionaries, batches) follow the 8-byte magic.
  checkMessages(bytes, 8, n - 10 - footerLen);
}
