import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../tensor.js';
import { writeFileAtomic } from './atomic-write.js';
import { encodeNpy } from './npy.js';
import { readNpy, readNpyInt32, readSafetensors, writeNpy, writeSafetensors } from './weight-files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiver-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('weight files', () => {
  it('writeNpy / readNpy round-trip, readNpyInt32 reads int32 files', async () => {
    const path = join(dir, 'w.npy');
    await writeNpy(path, tensor([[1.5, -2], [3, 4]]));
    expect(new Uint8Array(await readFile(path))).toEqual(encodeNpy(tensor([[1.5, -2], [3, 4]])));
    const t = await readNpy(path);
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data)).toEqual([1.5, -2, 3, 4]);
    const ids = join(dir, 'ids.npy');
    await writeNpy(ids, { data: new Int32Array([4, 5]), shape: [2] });
    expect(Array.from((await readNpyInt32(ids)).data)).toEqual([4, 5]);
  });

  it('writeSafetensors / readSafetensors round-trip; read tensors are views of the file buffer', async () => {
    const path = join(dir, 'model.safetensors');
    await writeSafetensors(path, { 'user_embedding.weight': tensor([[1, 2], [3, 4]]) }, { format: 'pt' });
    const { tensors, metadata } = await readSafetensors(path);
    expect(Array.from(tensors['user_embedding.weight'].data)).toEqual([1, 2, 3, 4]);
    expect(metadata.format).toBe('pt');
    expect(tensors['user_embedding.weight'].data.byteOffset % 4).toBe(0);
    expect(tensors['user_embedding.weight'].data.buffer.byteLength).toBeGreaterThan(16); // the whole file
  });

  it('replaces an existing file atomically and leaves no temporary file behind', async () => {
    const path = join(dir, 'replace.npy');
    await writeNpy(path, tensor([1]));
    await writeNpy(path, tensor([2, 3]));
    expect(Array.from((await readNpy(path)).data)).toEqual([2, 3]);
    const names = await readdir(dir);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a failed write leaves the old file intact and removes the temporary file', async () => {
    const path = join(dir, 'keep.npy');
    await writeNpy(path, tensor([7]));
    // Renaming a file over a directory fails (EISDIR) after the temp file was written.
    const asDir = join(dir, 'a-dir');
    await mkdtemp(asDir);
    const target = (await readdir(dir)).find((n) => n.startsWith('a-dir')) as string;
    await expect(writeFileAtomic(join(dir, target), new Uint8Array([1]))).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // An encoding error throws before anything is written.
    await expect(writeNpy(path, { data: new Float32Array(2), shape: [3] })).rejects.toThrow(/encodeNpy: array.data has 2 values/);
    expect(Array.from((await readNpy(path)).data)).toEqual([7]);
  });

  it('passes fs errors and decode errors through', async () => {
    await expect(readNpy(join(dir, 'missing.npy'))).rejects.toThrow(/ENOENT/);
    await expect(writeNpy(join(dir, 'no-such-dir', 'x.npy'), tensor([1]))).rejects.toThrow(/ENOENT/);
    const junk = join(dir, 'junk.npy');
    await writeFile(junk, 'not numpy at all');
    await expect(readNpy(junk)).rejects.toThrow(/decodeNpy: magic must be/);
    await expect(readSafetensors(junk)).rejects.toThrow(/decodeSafetensors: header length/);
  });
});
