import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper without types (also used by build-wasm.mjs)
import { compileWat } from './compile-wat.mjs';
import { DENSE_KERNELS_WASM_BASE64 } from './dense-kernels-bytes.js';

describe('dense-kernels-bytes', () => {
  it('are the compiled dense-kernels.wat (run `node src/wasm/build-wasm.mjs` after editing it)', async () => {
    const source = readFileSync(new URL('dense-kernels.wat', import.meta.url), 'utf8');
    const bytes: Uint8Array = await compileWat(source);
    expect(Buffer.from(bytes).toString('base64')).toBe(DENSE_KERNELS_WASM_BASE64);
  });
});
