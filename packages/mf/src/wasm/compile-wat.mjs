// Compiles WebAssembly text to binary with the pinned `wabt` package (SIMD + threads enabled).
import createWabt from 'wabt';

/**
 * @param {string} source WebAssembly text.
 * @returns {Promise<Uint8Array>} the module bytes.
 */
export async function compileWat(source) {
  const wabt = await createWabt();
  const mod = wabt.parseWat('sgd-kernels.wat', source, { simd: true, threads: true });
  mod.validate({ simd: true, threads: true });
  const { buffer } = mod.toBinary({});
  mod.destroy();
  return Uint8Array.from(buffer);
}
