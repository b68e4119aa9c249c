import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper without types (also used by build-wasm.mjs)
import { compileWat } from './compile-wat.mjs';
import { SGD_KERNELS_WASM_BASE64 } from './sgd-kernels-bytes.js';

describe('sgd-kernels-bytes', () => {
  it('are the compiled sgd-kernels.wat (run `node src/wasm/build-wasm.mjs` after editing it)', async () => {
    const source = readFileSync(new URL('sgd-kernels.wat', import.meta.url), 'utf8');
    const bytes: Uint8Array = await compileWat(source);
    expect(Buffer.from(bytes).toString('base64')).toBe(SGD_KERNELS_WASM_BASE64);
  });
});
