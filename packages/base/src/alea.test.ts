import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { Alea } from './alea.js';

// The independent reference: seedrandom's Alea, which Quiver used before it had its own.
describe('Alea', () => {
  it('draws exactly what seedrandom.alea draws, for numeric, string and unicode seeds', () => {
    for (const seed of ['42', '0', '-7', '3.25', 'init/users', '42/epoch-3', '', 'ünïcødé ✓', '1e+21']) {
      const ours = Alea.fromSeed(seed);
      const ref = seedrandom.alea(seed);
      for (let k = 0; k < 2000; k++) expect(ours.double(), `seed ${seed}, draw ${k}`).toBe(ref.double());
      const ours32 = Alea.fromSeed(seed);
      const ref32 = seedrandom.alea(seed);
      for (let k = 0; k < 2000; k++) expect(ours32.next()).toBe(ref32());
    }
  });

  it('saves and restores its state like seedrandom (the following draws repeat)', () => {
    const g = Alea.fromSeed('s');
    for (let k = 0; k < 17; k++) g.double();
    const saved = g.state();
    const ref = seedrandom.alea('s', { state: true });
    for (let k = 0; k < 17; k++) ref.double();
    expect(saved).toEqual(ref.state());
    const a = Array.from({ length: 50 }, () => g.double());
    const back = Alea.fromState(saved);
    expect(Array.from({ length: 50 }, () => back.double())).toEqual(a);
  });
});
