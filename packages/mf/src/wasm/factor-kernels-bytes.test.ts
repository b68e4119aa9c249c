import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper without types (also used by build-wasm.mjs)
import { compileWat } from './compile-wat.mjs';
import { FACTOR_KERNELS_WASM_BASE64 } from './factor-kernels-bytes.js';

describe('factor-kernels-bytes', () => {
  it('are the compiled factor-kernels.wat (run `node src/wasm/build-wasm.mjs` after editing it)', async () => {
    const source = readFileSync(new URL('factor-kernels.wat', import.meta.url), 'utf8');
    const bytes: Uint8Array = await compileWat(source);
    expect(Buffer.from(bytes).toString('base64')).toBe(FACTOR_KERNELS_WASM_BASE64);
  });
});
