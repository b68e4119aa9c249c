import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs module shared with the generator (no types)
import { computeHashes } from './golden/weights.mjs';

/**
 * Every model and solver path trains bit-identical weights to the recorded ones (the first
 * 30,000 ratings of ml-latest-small, 3 epochs, seed 7; see golden/weights.mjs). Recorded before
 * the architecture refactor of issue 11; a refactor that changes one hash changed behaviour.
 */
describe('weights are bit-identical to the recorded hashes', () => {
  it('for every model, solver, schedule and thread count', async () => {
    const golden = JSON.parse(readFileSync(new URL('./golden/weights-sha256.json', import.meta.url), 'utf8')) as Record<string, string>;
    const now = (await computeHashes()) as Record<string, string>;
    expect(Object.keys(now).sort()).toEqual(Object.keys(golden).sort());
    for (const name of Object.keys(golden)) expect(now[name], name).toBe(golden[name]);
  }, 120_000);
});
