/**
 * One line describing a model for the REPL and logs: its class, whether it is fitted (and on
 * how many users and items), and its scalar hyper-parameters in `getConfig()` order (a solver
 * object as `solver { kind 'cg', steps 3 }`).
 *
 * @param name The class name, e.g. `'BiasedMF'`.
 * @param state `fitted`, `numUsers`, `numItems`.
 * @param config The model's `getConfig()`; numbers, strings and booleans are shown, and objects of them one level deep.
 * @returns E.g. `BiasedMF { fitted: 610 users × 9,724 items, factors 128, epochs 60, lr 0.01 }`.
 * @example
 * modelSummary('ALS', { fitted: false, numUsers: 0, numItems: 0 }, { factors: 64 }); // 'ALS { not fitted, factors 64 }'
 */
export function modelSummary(
  name: string,
  state: { fitted: boolean; numUsers: number; numItems: number },
  config: Record<string, unknown>,
): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const parts = [state.fitted ? `fitted: ${fmt(state.numUsers)} users × ${fmt(state.numItems)} items` : 'not fitted'];
  return `${name} { ${[...parts, ...scalarParts(config, true)].join(', ')} }`;
}

/** `key value` for every scalar entry, and `key { ... }` for a non-empty object of scalars (a solver) when `nest`. */
function scalarParts(config: Record<string, unknown>, nest: boolean): string[] {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'number' || typeof value === 'boolean') parts.push(`${key} ${value}`);
    else if (typeof value === 'string') parts.push(`${key} '${value}'`);
    else if (nest && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const inner = scalarParts(value as Record<string, unknown>, false);
      if (inner.length > 0) parts.push(`${key} { ${inner.join(', ')} }`);
    }
  }
  return parts;
}

/**
 * Gives a top-k result a one-line REPL / `util.inspect` summary (a non-enumerable property, so
 * equality, spreading and JSON see only `ids` and `scores`).
 * @returns `t`, printing as e.g. `TopK(3) [15 0.498, 121 0.413, 478 0.396]` (at most 10 entries shown).
 * @example
 * withTopKSummary({ ids: Int32Array.of(4), scores: Float32Array.of(0.5) }); // prints TopK(1) [4 0.500]
 */
export function withTopKSummary<T extends { ids: Int32Array; scores: Float32Array }>(t: T): T {
  Object.defineProperty(t, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => {
      const shown = Math.min(t.ids.length, 10);
      const parts: string[] = [];
      for (let j = 0; j < shown; j++) parts.push(`${t.ids[j]} ${t.scores[j].toFixed(3)}`);
      return `TopK(${t.ids.length}) [${parts.join(', ')}${t.ids.length > shown ? ', …' : ''}]`;
    },
    enumerable: false,
  });
  return t;
}
