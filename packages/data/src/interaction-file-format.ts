/** The file formats {@link loadInteractions} reads (its `format` option). */
export type InteractionFileFormat = 'csv' | 'tsv' | 'dat' | 'text' | 'arrow' | 'parquet';

/**
 * The allowed values of `loadInteractions`' `format` option:
 * `'csv'` (delimited text, `,` unless `delimiter` says otherwise), `'tsv'` (tab), `'dat'`
 * (MovieLens `::`), `'text'` (delimited text, delimiter detected), `'arrow'` (Arrow IPC file or
 * stream), `'parquet'`.
 */
export const INTERACTION_FILE_FORMATS: readonly InteractionFileFormat[] = ['csv', 'tsv', 'dat', 'text', 'arrow', 'parquet'];

/** How many leading bytes {@link sniffInteractionFormat} looks at (64 KiB). */
export const SNIFF_BYTES = 65536;

/**
 * @internal Guesses the format of a file from its first bytes (up to 64 KiB of them) and its size:
 * - `'arrow'`: the Arrow IPC file magic `ARROW1`; an Arrow IPC stream, i.e. the continuation
 *   marker `FF FF FF FF`, or a legacy stream (before Arrow 0.15) whose first 4 bytes are a
 *   plausible little-endian metadata length (8 bytes to 16 MiB, within the file) followed by a
 *   FlatBuffers root offset inside that metadata;
 * - `'parquet'`: the magic `PAR1` at the start;
 * - `'text'`: no NUL byte in the bytes looked at (an empty file is text too: readCsv says it is empty);
 * - null: none of these.
 */
export function sniffInteractionFormat(head: Uint8Array, size: number): 'arrow' | 'parquet' | 'text' | null {
  const n = Math.min(head.length, SNIFF_BYTES);
  const at = (k: number, ...bytes: number[]) => n >= k + bytes.length && bytes.every((b, j) => head[k + j] === b);
  if (at(0, 0x41, 0x52, 0x52, 0x4f, 0x57, 0x31)) return 'arrow'; // ARROW1
  if (at(0, 0xff, 0xff, 0xff, 0xff)) return 'arrow';
  if (at(0, 0x50, 0x41, 0x52, 0x31)) return 'parquet'; // PAR1
  if (n >= 8) {
    const len = (head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24)) >>> 0;
    const root = (head[4] | (head[5] << 8) | (head[6] << 16) | (head[7] << 24)) >>> 0;
    // Metadata is small (< 16 MiB, so byte 3 is NUL: never text).
    if (len >= 8 && len < 1 << 24 && len <= size - 4 && root >= 4 && root < len && root % 4 === 0) return 'arrow';
  }
  for (let k = 0; k < n; k++) if (head[k] === 0) return null;
  return 'text';
}
