import { readFile } from 'node:fs/promises';
import type { IndexTensor, Tensor } from '../tensor.js';
import { writeFileAtomic } from './atomic-write.js';
import { decodeNpy, decodeNpyInt32, encodeNpy, type DecodeNpyOptions, type NpyArray } from './npy.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  type DecodeSafetensorsOptions,
  type SafetensorsFile,
  type SafetensorsInput,
} from './safetensors.js';

/**
 * Reads a `.npy` file into a float32 tensor. The whole file is read into memory; the tensor
 * is a view into that private buffer (no second copy). See {@link decodeNpy} for the options
 * and errors; `fs` errors (ENOENT, ...) are passed through.
 *
 * @param path The file.
 * @returns The tensor, with the file's shape.
 * @throws As {@link decodeNpy}.
 * @example
 * const weight = await readNpy('item_embedding.npy');
 */
export async function readNpy(path: string, options?: DecodeNpyOptions): Promise<Tensor> {
  return decodeNpy(await readFile(path), options);
}

/**
 * Reads a `.npy` file of integers into `{ data: Int32Array, shape }`. See {@link decodeNpyInt32}.
 *
 * @param path The file.
 * @returns Int32 values and their shape.
 * @throws As {@link decodeNpyInt32}.
 * @example
 * const ids = await readNpyInt32('user_ids.npy', { convert: true }); // int64 from numpy
 */
export async function readNpyInt32(path: string, options?: DecodeNpyOptions): Promise<IndexTensor> {
  return decodeNpyInt32(await readFile(path), options);
}

/**
 * Writes a float32 tensor (or int32 `{ data, shape }`) as a `.npy` file that `np.load`
 * reads, atomically (temporary file in the same directory, then rename).
 *
 * @param path Destination; replaced if it exists.
 * @param array What to write, see {@link encodeNpy}.
 * @returns Resolves once the file is in place.
 * @throws As {@link encodeNpy}, before anything is written; `fs` errors are passed through.
 * @example
 * await writeNpy('item_embedding.npy', model.itemEmbedding.weight);
 */
export async function writeNpy(
  path: string,
  array: NpyArray,
): Promise<void> {
  await writeFileAtomic(path, encodeNpy(array));
}

/**
 * Reads a safetensors file. F32 tensors are views into the file's private buffer when
 * aligned (always, for files this library or the Python library wrote). See
 * {@link decodeSafetensors} for the options and errors.
 *
 * @param path The file.
 * @returns `{ tensors, metadata }`.
 * @throws As {@link decodeSafetensors}; `fs` errors are passed through.
 * @example
 * const { tensors } = await readSafetensors('model.safetensors');
 */
export async function readSafetensors(path: string, options?: DecodeSafetensorsOptions): Promise<SafetensorsFile> {
  return decodeSafetensors(await readFile(path), options);
}

/**
 * Writes float32 tensors and string metadata as a safetensors file, atomically (temporary
 * file in the same directory, then rename). Deterministic bytes, see {@link encodeSafetensors}.
 *
 * @param path Destination; replaced if it exists.
 * @param tensors Tensors by name (record or `Map`).
 * @param metadata Optional `__metadata__` strings.
 * @returns Resolves once the file is in place.
 * @throws As {@link encodeSafetensors}, before anything is written; `fs` errors are passed through.
 * @example
 * await writeSafetensors('model.safetensors', { 'user_embedding.weight': users.weight }, { format: 'pt' });
 */
export async function writeSafetensors(
  path: string,
  tensors: SafetensorsInput,
  metadata?: Readonly<Record<string, string>>,
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}
