import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '@quiver/base';
import { Tensor } from '../tensor.js';
import { encodeNpy } from './npy.js';
import { encodeSafetensors } from './safetensors.js';

/**
 * Opt-in interop check against real numpy / torch (needs python, so it is skipped by default):
 *
 *   cd packages/core && QUIVER_IO_VERIFY=1 npx vitest run src/io/interop-verify.test.ts
 *
 * Writes .npy and .safetensors files with our encoders plus a manifest of their values, then
 * runs `/usr/bin/python3 test/golden/gen_io.py --verify DIR`, which loads them with np.load /
 * torch (and safetensors.torch when importable) and checks values and byte-identity.
 * Set QUIVER_IO_VERIFY_KEEP=1 to keep the directory.
 */
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../test/golden/gen_io.py');

function randomTensor(seed: number, shape: number[]): Tensor {
  const rng = createRng(seed);
  let size = 1;
  for (const d of shape) size *= d;
  return new Tensor(Float32Array.from({ length: size }, () => rng.normal() * 3), shape);
}

describe.skipIf(!process.env.QUIVER_IO_VERIFY)('interop with numpy / torch (QUIVER_IO_VERIFY=1)', () => {
  it('python reads what we write, value- and byte-exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-io-verify-'));
    const manifest: Record<string, unknown> = {};
    const npy = (name: string, data: Float32Array | Int32Array, shape: number[]): void => {
      writeFileSync(join(dir, name), encodeNpy({ data, shape }));
      manifest[name] = { dtype: data instanceof Float32Array ? 'float32' : 'int32', shape, values: Array.from(data) };
    };
    const shapes = [[4, 3], [], [5], [2, 3, 4], [0], [3, 0], [1000, 8]];
    shapes.forEach((shape, i) => {
      const t = randomTensor(i, shape);
      npy(`f32_${i}.npy`, t.data, shape);
    });
    npy('ids_i4.npy', new Int32Array([0, -1, 2147483647, -2147483648, 42]), [5]);
    const st = (name: string, tensors: Record<string, Tensor>, metadata: Record<string, string>): void => {
      writeFileSync(join(dir, name), encodeSafetensors(tensors, metadata));
      manifest[name] = {
        metadata,
        tensors: Object.fromEntries(
          Object.entries(tensors).map(([k, t]) => [k, { shape: [...t.shape], values: Array.from(t.data) }]),
        ),
      };
    };
    st(
      'model.safetensors',
      {
        'user_embedding.weight': randomTensor(10, [6, 4]),
        'item_embedding.weight': randomTensor(11, [9, 4]),
        'item_bias': randomTensor(12, [9]),
      },
      { format: 'pt', quiver: '0.1.0' },
    );
    st('plain.safetensors', { 'w': randomTensor(13, [2, 2]), 'scalar': randomTensor(14, []), 'empty': randomTensor(15, [0, 3]) }, {});
    st('unicode.safetensors', { 'gewicht.ü': randomTensor(16, [3]) }, { 'note': 'héllo "q"' });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    let output = '';
    try {
      output = execFileSync('/usr/bin/python3', [SCRIPT, '--verify', dir], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      output = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
    } finally {
      if (!process.env.QUIVER_IO_VERIFY_KEEP) rmSync(dir, { recursive: true, force: true });
    }
    console.log(output);
    expect(output).toMatch(/^0 failed$/m);
    expect(output).not.toMatch(/FAIL/);
  }, 120_000);
});
